import diagnostics from 'node:diagnostics_channel';

import type { FastifyInstance, RouteOptions } from 'fastify';

/** A route as Fastify registered it: upper-case method and the full URL with prefixes, such as `/v1/contacts/:id`. */
export interface RegisteredRoute {
  method: string;
  url: string;
}

/**
 * Records the routes of every Fastify instance created until `stop()` is called. It subscribes to Fastify's
 * `fastify.initialization` diagnostics channel, which fires when an instance is constructed, before any route is
 * added, and adds an `onRoute` hook there. HEAD routes Fastify adds for each GET are left out.
 */
export function collectRoutes(): { routes: RegisteredRoute[]; stop(): void } {
  const routes: RegisteredRoute[] = [];
  const channel = diagnostics.channel('fastify.initialization');
  const onInstance = (message: unknown) => {
    const { fastify } = message as { fastify: FastifyInstance };
    fastify.addHook('onRoute', (route: RouteOptions) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) {
        if (method !== 'HEAD') {
          routes.push({ method, url: route.url });
        }
      }
    });
  };

  channel.subscribe(onInstance);
  return { routes, stop: () => channel.unsubscribe(onInstance) };
}

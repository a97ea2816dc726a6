import type { FastifyInstance } from 'fastify';

/** Routes of /v1/deliveries. */
export async function deliveryRoutes(_app: FastifyInstance): Promise<void> {
  // TODO: not implemented yet.
}

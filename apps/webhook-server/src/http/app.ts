import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
} from 'fastify';

import { authenticate } from './auth.js';
import { ApiProblem } from './errors.js';
import { registerIdempotency } from './idempotency.js';
import { accountRoutes } from './routes/account.js';
import { contactRoutes } from './routes/contacts.js';
import { deliveryRoutes } from './routes/deliveries.js';
import { endpointRoutes } from './routes/endpoints.js';
import { eventTypeRoutes } from './routes/event-types.js';
import { eventRoutes } from './routes/events.js';
import { healthRoutes } from './routes/health.js';
import { openApiRoutes } from './routes/openapi.js';
import type { AppServices } from './services.js';

const PROBLEM_JSON = 'application/problem+json; charset=utf-8';

/** Builds the Fastify application: content handling, problem+json errors, authentication and every route. */
export async function buildApp(services: AppServices): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: services.logger as FastifyBaseLogger,
    bodyLimit: services.config.bodyLimitBytes,
    requestTimeout: services.config.requestTimeoutMs,
    return503OnClosing: true,
    // Errors the router raises before any route matches (a malformed %-escape in the path, an over-long path
    // parameter) would otherwise get Fastify's own JSON shape instead of a problem document.
    frameworkErrors: (error, request, reply) => {
      const problem = new ApiProblem({
        status: 400,
        code: 'validation_failed',
        field: 'path',
        detail:
          error.code === 'FST_ERR_BAD_URL'
            ? 'The request path is not a valid URL: every "%" must start a %XX escape.'
            : 'A path parameter is longer than any id this API issues. Check the id.',
      });
      void (reply as FastifyReply)
        .status(problem.status)
        .type(PROBLEM_JSON)
        .send(problem.toProblem(request.url.split('?')[0] ?? request.url));
    },
  });
  app.decorate('services', services);
  app.decorateRequest('account', null as never);
  app.decorateRequest('apiKeyId', '');

  // Only JSON bodies are accepted; anything else gets a 415 before a handler runs.
  app.removeAllContentTypeParsers();
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, parseJson);
  app.addContentTypeParser(/^application\/[a-z.+-]*\+json$/, { parseAs: 'string' }, parseJson);

  app.setErrorHandler((error: FastifyError | ApiProblem, request, reply) => {
    const problem = toApiProblem(error);
    if (problem.status >= 500) {
      request.log.error({ err: error }, 'request failed');
    }
    void reply
      .status(problem.status)
      .headers(problem.headers)
      .type(PROBLEM_JSON)
      .send(problem.toProblem(request.url.split('?')[0] ?? request.url));
  });

  app.setNotFoundHandler((request, reply) => {
    const problem = new ApiProblem({
      status: 404,
      code: 'route_not_found',
      detail: `No route ${request.method} ${request.url.split('?')[0]}. See /v1/openapi.json for the routes.`,
    });
    void reply
      .status(404)
      .type(PROBLEM_JSON)
      .send(problem.toProblem(request.url.split('?')[0] ?? request.url));
  });

  await app.register(healthRoutes);
  await app.register(openApiRoutes, { prefix: '/v1' });
  await app.register(
    async (v1) => {
      v1.addHook('onRequest', authenticate);
      await registerIdempotency(v1);
      await v1.register(accountRoutes);
      await v1.register(eventTypeRoutes);
      await v1.register(eventRoutes);
      await v1.register(contactRoutes);
      await v1.register(endpointRoutes);
      await v1.register(deliveryRoutes);
    },
    { prefix: '/v1' },
  );

  return app;
}

/** Maps any thrown error to the problem document sent to the client. Unknown errors become a 500 that reveals nothing. */
function toApiProblem(error: FastifyError | ApiProblem): ApiProblem {
  if (error instanceof ApiProblem) {
    return error;
  }

  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiProblem({
        status: 413,
        code: 'payload_too_large',
        detail:
          'The request body is larger than the server accepts (BODY_LIMIT). Send a smaller body.',
      });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiProblem({
        status: 415,
        code: 'unsupported_media_type',
        detail: 'Send the body as JSON with "Content-Type: application/json".',
      });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ApiProblem({
        status: 400,
        code: 'invalid_json',
        detail:
          'The body is empty but Content-Type says JSON. Send a JSON document or drop the header.',
      });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ApiProblem({
        status: 400,
        code: 'invalid_json',
        detail: 'Content-Length does not match the body that was sent.',
      });
    default:
      break;
  }

  if (error instanceof SyntaxError || error.statusCode === 400) {
    return new ApiProblem({
      status: 400,
      code: 'invalid_json',
      detail:
        error.code === 'FST_ERR_CTP_INVALID_JSON_BODY'
          ? 'The body is not valid JSON. Send a JSON document, or no Content-Type header when there is no body.'
          : `The body is not valid JSON (${error.message}). Send a JSON document.`,
    });
  }

  if (error.statusCode !== undefined && error.statusCode < 500) {
    return new ApiProblem({
      status: error.statusCode,
      code: error.statusCode === 404 ? 'not_found' : 'validation_failed',
      detail: error.message,
    });
  }

  return new ApiProblem({
    status: 500,
    code: 'internal_error',
    detail: 'The server failed to handle the request. Retry later; the failure is logged.',
    cause: error,
  });
}

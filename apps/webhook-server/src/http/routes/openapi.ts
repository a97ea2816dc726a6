import type { FastifyInstance } from 'fastify';

/** `GET /v1/openapi.json`. */
export async function openApiRoutes(_app: FastifyInstance): Promise<void> {
  // TODO: not implemented yet.
}

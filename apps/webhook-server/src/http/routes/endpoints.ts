import type { FastifyInstance } from 'fastify';

/** Routes of /v1/endpoints. */
export async function endpointRoutes(_app: FastifyInstance): Promise<void> {
  // TODO: not implemented yet.
}

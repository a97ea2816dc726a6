import type { FastifyInstance } from 'fastify';

/** Routes of /v1/contacts. */
export async function contactRoutes(_app: FastifyInstance): Promise<void> {
  // TODO: not implemented yet.
}

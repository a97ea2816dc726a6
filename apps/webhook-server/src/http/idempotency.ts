import type { FastifyInstance } from 'fastify';

/** Adds `Idempotency-Key` handling to every POST of the scope. */
export async function registerIdempotency(_app: FastifyInstance): Promise<void> {
  // TODO: not implemented yet.
}

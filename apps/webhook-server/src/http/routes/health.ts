import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';

/** `GET /healthz` (the process is up) and `GET /readyz` (the database responds). Neither needs an API key. */
export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (request, reply) => {
    try {
      await sql`select 1`.execute(app.services.database.db);
      return { status: 'ready' };
    } catch (error) {
      request.log.warn({ err: error }, 'readiness check failed');
      return reply.status(503).send({ status: 'unavailable', reason: 'database did not answer' });
    }
  });
}

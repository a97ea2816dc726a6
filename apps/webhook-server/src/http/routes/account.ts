import type { FastifyInstance } from 'fastify';

/** `GET /v1/account`: the account of the API key, used by connectors to test a key and label a connection. */
export async function accountRoutes(app: FastifyInstance): Promise<void> {
  app.get('/account', async (request) => request.account);
}

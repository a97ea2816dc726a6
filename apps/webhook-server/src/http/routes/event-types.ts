import { describeEventTypes } from '@app/api-client';
import type { FastifyInstance } from 'fastify';

/** `GET /v1/event-types`: the catalog with each type's JSON Schema and sample. */
export async function eventTypeRoutes(app: FastifyInstance): Promise<void> {
  // The catalog is fixed at build time, so the JSON Schemas are derived once.
  const body = { data: describeEventTypes() };
  app.get('/event-types', async () => body);
}

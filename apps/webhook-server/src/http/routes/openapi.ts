import type { FastifyInstance } from 'fastify';

import { buildOpenApiDocument } from '../../openapi/document.js';

/** `GET /v1/openapi.json`: the OpenAPI 3.1 document of the API. It needs no API key. */
export async function openApiRoutes(app: FastifyInstance): Promise<void> {
  const document = buildOpenApiDocument();
  app.get('/openapi.json', async () => document);
}

import type { FastifyReply, FastifyRequest } from 'fastify';

import { authenticateApiKey } from '../storage/accounts.js';
import { ApiProblem } from './errors.js';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Authenticates a `/v1` request by its `Authorization: Bearer <API key>` header and sets `request.account`.
 * Throws 401 `unauthorized` for a missing, malformed, unknown or revoked key.
 */
export async function authenticate(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
  const header = request.headers.authorization;
  if (!header) {
    throw new ApiProblem({
      status: 401,
      code: 'unauthorized',
      detail: 'Missing Authorization header. Send "Authorization: Bearer <API key>".',
      headers: { 'www-authenticate': 'Bearer' },
    });
  }

  const match = BEARER.exec(header);
  if (!match?.[1]) {
    throw new ApiProblem({
      status: 401,
      code: 'unauthorized',
      detail: 'Malformed Authorization header. Send "Authorization: Bearer <API key>".',
      headers: { 'www-authenticate': 'Bearer' },
    });
  }

  const result = await authenticateApiKey(request.server.services.database.db, match[1]);
  if (!result) {
    throw new ApiProblem({
      status: 401,
      code: 'unauthorized',
      detail: 'The API key is unknown or revoked. Create a new key and reconnect.',
      headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
    });
  }

  request.account = result.account;
  request.apiKeyId = result.apiKeyId;
}

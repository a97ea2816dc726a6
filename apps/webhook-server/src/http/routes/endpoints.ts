import {
  catalog,
  endpointCreateSchema,
  endpointListQuerySchema,
  endpointResendFailedSchema,
  endpointTestSchema,
  endpointUpdateSchema,
  generateSecret,
  type EndpointWithSecret,
} from '@app/api-client';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

import { rejectEndpointUrl } from '../../delivery/endpoint-url.js';
import { findDelivery, resendFailedDeliveries } from '../../storage/deliveries.js';
import {
  createEndpoint,
  deleteEndpoint,
  findEndpoint,
  listEndpoints,
  rotateEndpointSecret,
  toEndpoint,
  updateEndpoint,
  type EndpointRow,
} from '../../storage/endpoints.js';
import { emitEvent } from '../../storage/events.js';
import { decodeCursor } from '../../storage/executor.js';
import { ApiProblem, notFound } from '../errors.js';
import { parseInput } from '../validation.js';
import { invalidCursor } from './events.js';

const idParamsSchema = z.object({ id: z.string().min(1).max(64) });

/**
 * `/v1/endpoints`: webhook subscriptions, also the REST-hook subscribe (create) and unsubscribe (delete) API.
 *
 * A disabled endpoint (by `PATCH enabled: false`, or by the dispatcher after a 410 Gone) receives nothing: new
 * events create no delivery for it, and its pending deliveries are kept but not sent. Enabling it again clears
 * `disabled_reason`; the kept deliveries that fell due meanwhile are sent at once, the rest at their scheduled time.
 * Deliveries that failed (such as the one that got the 410) can be sent again with `resend-failed`.
 */
export async function endpointRoutes(app: FastifyInstance): Promise<void> {
  const { secretBox, config } = app.services;
  const seal = (secret: string) => (endpointId: string) => secretBox.encrypt(secret, endpointId);

  app.post('/endpoints', async (request, reply) => {
    const body = parseInput(endpointCreateSchema, request.body, 'body');
    checkUrl(body.url, config.allowPrivateUrls);

    const secret = generateSecret();
    const row = await createEndpoint(app.services.database.db, {
      accountId: request.account.id,
      url: body.url,
      eventTypes: body.event_types ?? null,
      description: body.description ?? '',
      sealSecret: seal(secret),
    });
    request.log.info({ endpointId: row.id }, 'endpoint created');

    const created: EndpointWithSecret = { ...toEndpoint(row), secret };
    return reply.status(201).send(created);
  });

  app.get('/endpoints', async (request) => {
    const query = parseInput(endpointListQuerySchema, request.query, 'query');
    const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    if (query.cursor !== undefined && cursor === undefined) {
      throw invalidCursor();
    }
    return listEndpoints(app.services.database.db, {
      accountId: request.account.id,
      limit: query.limit,
      ...(cursor === undefined ? {} : { cursor }),
    });
  });

  app.get('/endpoints/:id', async (request) => {
    const { id } = parseInput(idParamsSchema, request.params, 'path');
    return toEndpoint(await requireEndpoint(app, request.account.id, id));
  });

  app.patch('/endpoints/:id', async (request) => {
    const { id } = parseInput(idParamsSchema, request.params, 'path');
    const body = parseInput(endpointUpdateSchema, request.body, 'body');
    if (body.url !== undefined) {
      checkUrl(body.url, config.allowPrivateUrls);
    }

    const row = await app.services.database.db.transaction().execute((trx) =>
      updateEndpoint(trx, {
        accountId: request.account.id,
        endpointId: id,
        changes: {
          ...(body.url === undefined ? {} : { url: body.url }),
          ...(body.event_types === undefined ? {} : { eventTypes: body.event_types }),
          ...(body.description === undefined ? {} : { description: body.description }),
          ...(body.enabled === undefined ? {} : { enabled: body.enabled }),
        },
      }),
    );
    if (!row) {
      throw notFound('endpoint', id);
    }
    app.services.dispatcher.endpointChanged?.(id);
    if (body.enabled === true) {
      // Deliveries kept while the endpoint was disabled may be due now.
      app.services.dispatcher.wake();
    }
    request.log.info({ endpointId: id, fields: Object.keys(body) }, 'endpoint updated');
    return toEndpoint(row);
  });

  app.delete('/endpoints/:id', async (request, reply) => {
    const { id } = parseInput(idParamsSchema, request.params, 'path');
    const deleted = await app.services.database.db
      .transaction()
      .execute((trx) => deleteEndpoint(trx, { accountId: request.account.id, endpointId: id }));
    if (!deleted) {
      throw notFound('endpoint', id);
    }
    app.services.dispatcher.endpointChanged?.(id);
    request.log.info({ endpointId: id }, 'endpoint deleted');
    return reply.status(204).send();
  });

  app.post('/endpoints/:id/test', async (request, reply) => {
    const { id } = parseInput(idParamsSchema, request.params, 'path');
    const body = parseInput(endpointTestSchema, request.body, 'body');
    const endpoint = await requireEndpoint(app, request.account.id, id);
    requireEnabled(endpoint, 'send a test event to it');

    const { db } = app.services.database;
    const emitted = await db.transaction().execute((trx) =>
      emitEvent(trx, {
        accountId: request.account.id,
        type: body.event_type,
        data: catalog[body.event_type].sample,
        isTest: true,
        endpointId: id,
      }),
    );
    app.services.dispatcher.wake();

    const deliveryId = emitted.deliveryIds[0];
    const delivery =
      deliveryId === undefined ? undefined : await findDelivery(db, request.account.id, deliveryId);
    if (!delivery) {
      // emitEvent skips an endpoint disabled between the check above and the insert.
      throw endpointDisabled(id, 'send a test event to it');
    }
    request.log.info(
      { endpointId: id, eventId: emitted.envelope.event_id, deliveryId },
      'test event queued',
    );
    return reply.status(201).send(delivery);
  });

  app.post('/endpoints/:id/rotate-secret', async (request) => {
    const { id } = parseInput(idParamsSchema, request.params, 'path');
    const secret = generateSecret();
    const row = await app.services.database.db.transaction().execute((trx) =>
      rotateEndpointSecret(trx, {
        accountId: request.account.id,
        endpointId: id,
        sealSecret: seal(secret),
      }),
    );
    if (!row) {
      throw notFound('endpoint', id);
    }
    app.services.dispatcher.endpointChanged?.(id);
    request.log.info({ endpointId: id }, 'endpoint secret rotated');
    const rotated: EndpointWithSecret = { ...toEndpoint(row), secret };
    return rotated;
  });

  app.get('/endpoints/:id/secret', async (request) => {
    const { id } = parseInput(idParamsSchema, request.params, 'path');
    const endpoint = await requireEndpoint(app, request.account.id, id);
    return { secret: secretBox.decrypt(endpoint.secret_encrypted, endpoint.id) };
  });

  app.post('/endpoints/:id/resend-failed', async (request) => {
    const { id } = parseInput(idParamsSchema, request.params, 'path');
    const body = parseInput(endpointResendFailedSchema, request.body, 'body');
    const endpoint = await requireEndpoint(app, request.account.id, id);
    requireEnabled(endpoint, 'resend deliveries to it');

    const resent = await resendFailedDeliveries(app.services.database.db, {
      accountId: request.account.id,
      endpointId: id,
      since: Date.parse(body.since),
    });
    app.services.dispatcher.wake();
    request.log.info({ endpointId: id, resent }, 'failed deliveries scheduled again');
    return { resent };
  });
}

async function requireEndpoint(
  app: FastifyInstance,
  accountId: string,
  endpointId: string,
): Promise<EndpointRow> {
  const endpoint = await findEndpoint(app.services.database.db, accountId, endpointId);
  if (!endpoint) {
    throw notFound('endpoint', endpointId);
  }
  return endpoint;
}

function requireEnabled(endpoint: EndpointRow, action: string): void {
  if (endpoint.enabled !== 1) {
    throw endpointDisabled(endpoint.id, action);
  }
}

function endpointDisabled(endpointId: string, action: string): ApiProblem {
  return new ApiProblem({
    status: 409,
    code: 'conflict',
    detail: `endpoint ${endpointId} is disabled; enable it (PATCH enabled: true) to ${action}.`,
  });
}

function checkUrl(url: string, allowPrivateUrls: boolean): void {
  const reason = rejectEndpointUrl(url, allowPrivateUrls);
  if (reason !== undefined) {
    throw new ApiProblem({
      status: 422,
      code: 'endpoint_url_rejected',
      field: 'url',
      detail: `url ${reason}.`,
    });
  }
}

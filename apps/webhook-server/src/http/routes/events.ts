import {
  catalog,
  eventListQuerySchema,
  eventPublishSchema,
  eventTypes,
  isEventType,
} from '@app/api-client';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

import { decodeCursor, emitEvent, findEvent, listEvents } from '../../storage/events.js';
import { ApiProblem, notFound } from '../errors.js';
import { parseInput } from '../validation.js';

const idParamsSchema = z.object({ id: z.string().min(1).max(64) });

/** `/v1/events`: publish a catalog event (the product's backend uses this as its webhook gateway) and look events up. */
export async function eventRoutes(app: FastifyInstance): Promise<void> {
  app.post('/events', async (request, reply) => {
    const body = parseInput(eventPublishSchema, request.body, 'body');
    if (!isEventType(body.event_type)) {
      throw new ApiProblem({
        status: 422,
        code: 'unknown_event_type',
        field: 'event_type',
        detail: `event_type "${body.event_type}" is not in the catalog; use one of ${eventTypes.join(', ')}.`,
      });
    }
    const data = parseInput(catalog[body.event_type].schema, body.data, 'body', 'data');

    const emitted = await app.services.database.db
      .transaction()
      .execute((trx) =>
        emitEvent(trx, { accountId: request.account.id, type: body.event_type as never, data }),
      );
    app.services.dispatcher.wake();
    request.log.info(
      {
        eventId: emitted.envelope.event_id,
        eventType: emitted.envelope.event_type,
        deliveries: emitted.deliveryIds.length,
      },
      'event published',
    );

    return reply.status(201).send(emitted.envelope);
  });

  app.get('/events', async (request) => {
    const query = parseInput(eventListQuerySchema, request.query, 'query');
    const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    if (query.cursor !== undefined && cursor === undefined) {
      throw invalidCursor();
    }
    return listEvents(app.services.database.db, {
      accountId: request.account.id,
      limit: query.limit,
      ...(query.type === undefined ? {} : { type: query.type }),
      ...(cursor === undefined ? {} : { cursor }),
    });
  });

  app.get('/events/:id', async (request) => {
    const { id } = parseInput(idParamsSchema, request.params, 'path');
    const event = await findEvent(app.services.database.db, request.account.id, id);
    if (!event) {
      throw notFound('event', id);
    }
    return event;
  });
}

/** 400 for a cursor this server did not issue. */
export function invalidCursor(): ApiProblem {
  return new ApiProblem({
    status: 400,
    code: 'validation_failed',
    field: 'query.cursor',
    detail:
      'query.cursor: not a cursor this API returned; pass the next_cursor of the previous page.',
  });
}

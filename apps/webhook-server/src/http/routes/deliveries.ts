import { deliveryListQuerySchema } from '@app/api-client';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

import { findDelivery, listDeliveries, requestRedelivery } from '../../storage/deliveries.js';
import { decodeCursor } from '../../storage/executor.js';
import { ApiProblem, notFound } from '../errors.js';
import { parseInput } from '../validation.js';
import { invalidCursor } from './events.js';

const idParamsSchema = z.object({ id: z.string().min(1).max(64) });

/**
 * `/v1/deliveries`: the delivery log, newest first, each delivery with its payload and attempts (oldest first).
 * Deliveries of deleted endpoints stay listed.
 */
export async function deliveryRoutes(app: FastifyInstance): Promise<void> {
  app.get('/deliveries', async (request) => {
    const query = parseInput(deliveryListQuerySchema, request.query, 'query');
    const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    if (query.cursor !== undefined && cursor === undefined) {
      throw invalidCursor();
    }
    return listDeliveries(app.services.database.db, {
      accountId: request.account.id,
      limit: query.limit,
      ...(query.endpoint_id === undefined ? {} : { endpointId: query.endpoint_id }),
      ...(query.event_id === undefined ? {} : { eventId: query.event_id }),
      ...(query.status === undefined ? {} : { status: query.status }),
      ...(cursor === undefined ? {} : { cursor }),
    });
  });

  app.get('/deliveries/:id', async (request) => {
    const { id } = parseInput(idParamsSchema, request.params, 'path');
    const delivery = await findDelivery(app.services.database.db, request.account.id, id);
    if (!delivery) {
      throw notFound('delivery', id);
    }
    return delivery;
  });

  // Sends the delivery again now with the same webhook-id, as a manual attempt: it does not use up a scheduled
  // attempt. If it fails on a delivery with scheduled attempts left, the schedule goes on from there; otherwise the
  // delivery is failed again (see delivery/decide.ts).
  app.post('/deliveries/:id/redeliver', async (request, reply) => {
    const { id } = parseInput(idParamsSchema, request.params, 'path');
    const { db } = app.services.database;
    const result = await requestRedelivery(db, { accountId: request.account.id, deliveryId: id });
    if (!result.ok) {
      switch (result.reason) {
        case 'not_found':
          throw notFound('delivery', id);
        case 'in_flight':
          throw new ApiProblem({
            status: 409,
            code: 'conflict',
            detail: `delivery ${id} has an attempt in flight; retry the redelivery when it has finished.`,
          });
        case 'endpoint_disabled':
          throw new ApiProblem({
            status: 409,
            code: 'conflict',
            detail: `the endpoint of delivery ${id} is disabled; enable it (PATCH enabled: true) and redeliver.`,
          });
        case 'endpoint_deleted':
          throw new ApiProblem({
            status: 409,
            code: 'conflict',
            detail: `the endpoint of delivery ${id} was deleted; nothing can be sent to it.`,
          });
        default: {
          const unexpected: never = result.reason;
          throw new Error(`unexpected redelivery refusal ${String(unexpected)}`);
        }
      }
    }

    app.services.dispatcher.wake();
    request.log.info({ deliveryId: id }, 'redelivery requested');
    const delivery = await findDelivery(db, request.account.id, id);
    return reply.status(202).send(delivery);
  });
}

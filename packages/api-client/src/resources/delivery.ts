import { z } from 'zod';

import { eventEnvelopeSchema } from '../envelope.js';
import { listQuerySchema, type ListQuery, timestampSchema } from './common.js';

/** Lifecycle of a delivery: `pending` until it succeeds or runs out of attempts. */
export const deliveryStatusSchema = z
  .enum(['pending', 'succeeded', 'failed'])
  .describe(
    '`pending` while attempts remain, `succeeded` after a 2xx, `failed` when no attempt remains.',
  );

/** Origin of an attempt: the schedule or a person. */
export const attemptTriggerSchema = z
  .enum(['scheduled', 'manual'])
  .describe('`scheduled` for the automatic schedule, `manual` for a redelivery or resend.');

/** One HTTP request made for a delivery. */
export const attemptSchema = z
  .object({
    attempt_number: z
      .number()
      .int()
      .min(1)
      .describe('1 for the first attempt, counting manual ones too.'),
    trigger: attemptTriggerSchema,
    started_at: timestampSchema,
    duration_ms: z
      .number()
      .int()
      .min(0)
      .describe('Time from sending the request to the end of the response, in ms.'),
    status_code: z
      .number()
      .int()
      .nullable()
      .describe('HTTP status of the response; null when none arrived.'),
    response_excerpt: z
      .string()
      .nullable()
      .describe('Start of the response body, capped by the server; null when none arrived.'),
    error: z
      .string()
      .nullable()
      .describe(
        'Why the attempt failed without a response (`timeout`, `connection_refused`, ...); null otherwise.',
      ),
    succeeded: z.boolean().describe('True for a 2xx response.'),
  })
  .meta({ id: 'Attempt' });

/** A delivery: one event sent to one endpoint, with every attempt. */
export const deliverySchema = z
  .object({
    id: z.string().describe('Delivery id, prefixed `dlv_`.'),
    endpoint_id: z.string(),
    event_id: z.string(),
    event_type: z.string(),
    status: deliveryStatusSchema,
    attempt_count: z.number().int().min(0),
    next_attempt_at: timestampSchema
      .nullable()
      .describe('When the next attempt is due; null when none is scheduled.'),
    last_status_code: z.number().int().nullable(),
    is_test: z.boolean().describe('True for deliveries created by the test-event route.'),
    created_at: timestampSchema,
    updated_at: timestampSchema,
    payload: eventEnvelopeSchema.describe('The event exactly as it is sent.'),
    attempts: z.array(attemptSchema).describe('Every attempt, oldest first.'),
  })
  .meta({ id: 'Delivery' });

/** Query of `GET /v1/deliveries`. */
export const deliveryListQuerySchema = listQuerySchema.extend({
  endpoint_id: z.string().max(64).optional().describe('Only deliveries to this endpoint.'),
  event_id: z.string().max(64).optional().describe('Only deliveries of this event.'),
  status: deliveryStatusSchema.optional(),
});

/** Lifecycle state of a delivery. */
export type DeliveryStatus = z.infer<typeof deliveryStatusSchema>;
/** One HTTP request made for a delivery. */
export type Attempt = z.infer<typeof attemptSchema>;
/** A delivery with every attempt. */
export type Delivery = z.infer<typeof deliverySchema>;
/** Query of `GET /v1/deliveries` as the client sends it. */
export type DeliveryListQuery = ListQuery<z.input<typeof deliveryListQuerySchema>>;

import { z } from 'zod';

import { eventTypes, type EventType } from '../catalog.js';
import { listQuerySchema, timestampSchema } from './common.js';

const eventTypeSchema = z.enum(eventTypes as [EventType, ...EventType[]]);

const urlSchema = z
  .url({ protocol: /^https?$/ })
  .max(2048)
  .describe('HTTPS URL that receives the webhooks (plain HTTP only where the server allows it).');

const eventTypesSchema = z
  .array(eventTypeSchema)
  .min(1)
  .max(eventTypes.length)
  .nullable()
  .describe('Event types this endpoint receives; null or omitted means every type.');

/** Reason an endpoint was disabled, or null while it is enabled. */
export const disabledReasonSchema = z
  .enum(['manual', 'gone'])
  .nullable()
  .describe('`manual` when a user disabled it, `gone` when it answered 410 Gone.');

/** An endpoint (webhook subscription) as the API returns it. The secret is returned only by create and rotate. */
export const endpointSchema = z
  .object({
    id: z.string().describe('Endpoint id, prefixed `ep_`.'),
    url: z.string().describe('URL that receives the webhooks.'),
    description: z.string().describe('Free text to recognise the endpoint by.'),
    event_types: z
      .array(eventTypeSchema)
      .nullable()
      .describe('Event types it receives; null means every type.'),
    enabled: z
      .boolean()
      .describe('Disabled endpoints receive nothing and have no retries scheduled.'),
    disabled_reason: disabledReasonSchema,
    created_at: timestampSchema,
    updated_at: timestampSchema,
  })
  .meta({ id: 'Endpoint' });

/** An endpoint together with its current signing secret. */
export const endpointWithSecretSchema = endpointSchema
  .extend({
    secret: z.string().describe('Signing secret (`whsec_...`); store it to verify deliveries.'),
  })
  .meta({ id: 'EndpointWithSecret' });

/** Body of `POST /v1/endpoints`. */
export const endpointCreateSchema = z
  .object({
    url: urlSchema,
    event_types: eventTypesSchema.optional(),
    description: z
      .string()
      .trim()
      .max(500)
      .optional()
      .describe('Free text to recognise the endpoint by.'),
  })
  .strict()
  .meta({ id: 'EndpointCreate' });

/** Body of `PATCH /v1/endpoints/{id}`. */
export const endpointUpdateSchema = z
  .object({
    url: urlSchema.optional(),
    event_types: eventTypesSchema.optional(),
    description: z.string().trim().max(500).optional(),
    enabled: z
      .boolean()
      .optional()
      .describe('Set to false to pause the endpoint, true to resume it.'),
  })
  .strict()
  .refine((value) => Object.keys(value).length > 0, {
    message: 'Send at least one field to change.',
  })
  .meta({ id: 'EndpointUpdate' });

/** Body of `POST /v1/endpoints/{id}/test`. */
export const endpointTestSchema = z
  .object({
    event_type: eventTypeSchema.describe('Event type whose sample is sent.'),
  })
  .strict()
  .meta({ id: 'EndpointTest' });

/** Body of `POST /v1/endpoints/{id}/resend-failed`. */
export const endpointResendFailedSchema = z
  .object({
    since: timestampSchema.describe('Resend every failed delivery created at or after this time.'),
  })
  .strict()
  .meta({ id: 'EndpointResendFailed' });

/** Response of `POST /v1/endpoints/{id}/resend-failed`. */
export const resendFailedResultSchema = z
  .object({
    resent: z.number().int().describe('Number of failed deliveries scheduled again.'),
  })
  .meta({ id: 'ResendFailedResult' });

/** Query of `GET /v1/endpoints`. */
export const endpointListQuerySchema = listQuerySchema;

/** An endpoint as the API returns it, without its secret. */
export type Endpoint = z.infer<typeof endpointSchema>;
/** An endpoint with its signing secret, as create and rotate return it. */
export type EndpointWithSecret = z.infer<typeof endpointWithSecretSchema>;
/** Body of `POST /v1/endpoints`. */
export type EndpointCreate = z.input<typeof endpointCreateSchema>;
/** Body of `PATCH /v1/endpoints/{id}`. */
export type EndpointUpdate = z.input<typeof endpointUpdateSchema>;
/** Body of `POST /v1/endpoints/{id}/test`. */
export type EndpointTest = z.input<typeof endpointTestSchema>;
/** Response of `POST /v1/endpoints/{id}/resend-failed`. */
export type ResendFailedResult = z.infer<typeof resendFailedResultSchema>;

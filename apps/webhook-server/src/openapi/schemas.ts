import {
  accountSchema,
  attemptSchema,
  catalog,
  contactCreateSchema,
  contactSchema,
  contactUpdateSchema,
  deliverySchema,
  endpointCreateSchema,
  endpointResendFailedSchema,
  endpointSchema,
  endpointTestSchema,
  endpointUpdateSchema,
  endpointWithSecretSchema,
  eventEnvelopeSchema,
  eventPublishSchema,
  eventTypeDescriptionSchema,
  eventTypes,
  listSchema,
  problemSchema,
  resendFailedResultSchema,
  timestampSchema,
  type EventType,
} from '@app/api-client';
import { z } from 'zod';

/** Registry of the schemas the OpenAPI document names in `components.schemas`. */
export type SchemaRegistry = z.core.$ZodRegistry<{ id: string }>;

/** Returns the component name of the webhook payload of an event type: `invoice.payment_failed` -> `InvoicePaymentFailedEvent`. */
export function webhookEventSchemaName(type: EventType): string {
  const words = type.split(/[._]/).map((word) => word.charAt(0).toUpperCase() + word.slice(1));
  return `${words.join('')}Event`;
}

/**
 * Returns the schemas of response bodies and webhook payloads, converted as the values the server sends. Every
 * schema with an id in @app/api-client is registered under that id, so other schemas refer to it instead of
 * repeating it.
 */
export function outputSchemas(): SchemaRegistry {
  const registry = z.registry<{ id: string }>();
  const add = (id: string, schema: z.ZodType) => registry.add(schema, { id });

  add('Account', accountSchema);
  add('Contact', contactSchema);
  add('ContactList', listSchema(contactSchema));
  add('Event', eventEnvelopeSchema);
  add('EventList', listSchema(eventEnvelopeSchema));
  add('EventType', eventTypeDescriptionSchema);
  add('EventTypeList', z.object({ data: z.array(eventTypeDescriptionSchema) }));
  add('Endpoint', endpointSchema);
  add('EndpointWithSecret', endpointWithSecretSchema);
  add('EndpointList', listSchema(endpointSchema));
  add(
    'EndpointSecret',
    z.object({
      secret: z.string().describe('The current signing secret, `whsec_` followed by base64.'),
    }),
  );
  add('ResendFailedResult', resendFailedResultSchema);
  add('Delivery', deliverySchema);
  add('Attempt', attemptSchema);
  add('DeliveryList', listSchema(deliverySchema));
  add('Problem', problemSchema);
  add('Health', z.object({ status: z.literal('ok') }));
  add(
    'Readiness',
    z.object({
      status: z.enum(['ready', 'unavailable']),
      reason: z.string().optional().describe('Why the server is not ready.'),
    }),
  );
  add(
    'OpenApiDocument',
    z.record(z.string(), z.unknown()).describe('An OpenAPI 3.1 document, such as this one.'),
  );

  for (const type of eventTypes) {
    add(webhookEventSchemaName(type), webhookEventSchema(type));
  }
  return registry;
}

/** Returns the schemas of request bodies, converted as the values the server accepts (defaults optional). */
export function inputSchemas(): SchemaRegistry {
  const registry = z.registry<{ id: string }>();
  const add = (id: string, schema: z.ZodType) => registry.add(schema, { id });

  add('EventPublish', eventPublishSchema);
  add('ContactCreate', contactCreateSchema);
  add('ContactUpdate', contactUpdateSchema);
  add('EndpointCreate', endpointCreateSchema);
  add('EndpointUpdate', endpointUpdateSchema);
  add('EndpointTest', endpointTestSchema);
  add('EndpointResendFailed', endpointResendFailedSchema);
  return registry;
}

/** Builds the envelope schema of one event type, with `event_type` fixed and `data` of the type's schema. */
function webhookEventSchema(type: EventType): z.ZodType {
  const definition = catalog[type];
  return z
    .object({
      event_id: eventEnvelopeSchema.shape.event_id,
      event_type: z.literal(type),
      created_at: timestampSchema.describe('When the event happened.'),
      data: definition.schema,
    })
    .describe(`${definition.title}: ${definition.description}`);
}

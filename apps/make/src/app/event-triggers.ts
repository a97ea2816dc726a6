import { eventEnvelopeSchema, toJsonSchema, type JsonSchema } from '@app/api-client';

import type { EventTypeInput } from '../input.js';
import { parametersFromObjectSchema } from '../json-schema-to-make.js';
import type { ModuleComponent, WebhookComponent } from '../model.js';
import { capitalize, toCamelCase } from '../names.js';

/** Keys that attach stores in the webhook's data, read back by detach as `{{webhook.<key>}}`. */
export const WEBHOOK_DATA = { endpointId: 'endpointId', secret: 'secret' } as const;

/** A dedicated webhook and the instant trigger that listens to it, for one event type. */
export interface EventTrigger {
  webhook: WebhookComponent;
  module: ModuleComponent;
}

/**
 * Builds the webhook and instant trigger of one event type. Attach creates an endpoint for Make's webhook URL that
 * receives only this type and stores the endpoint id and signing secret; detach deletes the endpoint. Each
 * delivery (the event envelope) becomes one bundle, described by an interface derived from the type's schema.
 */
export function buildEventTrigger(event: EventTypeInput, connection: string): EventTrigger {
  const webhookId = toCamelCase(event.type);
  const moduleId = toCamelCase(`watch ${event.type}`);

  const webhook: WebhookComponent = {
    id: webhookId,
    label: event.title,
    webhookType: 'web',
    connection,
    sections: {
      // NOTE: Make documents no way to verify an HMAC over the raw body in a webhook, so the Standard Webhooks
      // signature is not checked here. Receivers deduplicate on `event_id`, which the sender keeps on retries.
      communication: { output: '{{body}}' },
      params: [],
      attach: {
        url: '/endpoints',
        method: 'POST',
        body: {
          url: '{{webhook.url}}',
          event_types: [event.type],
          description: `Make instant trigger: ${event.title}`,
        },
        response: {
          data: {
            [WEBHOOK_DATA.endpointId]: '{{body.id}}',
            [WEBHOOK_DATA.secret]: '{{body.secret}}',
          },
        },
      },
      // NOTE: Make reports every 4xx as an error and documents no way to accept one, so detaching a webhook whose
      // endpoint was already deleted on the server fails with the server's 404 message.
      detach: {
        url: `/endpoints/{{webhook.${WEBHOOK_DATA.endpointId}}}`,
        method: 'DELETE',
      },
    },
  };

  const module: ModuleComponent = {
    id: moduleId,
    label: `Watch ${event.title}`,
    description: triggerDescription(event.description),
    moduleType: 'instant_trigger',
    connection,
    webhook: webhookId,
    sections: {
      staticParams: [],
      interface: parametersFromObjectSchema(envelopeSchemaWith(event.dataSchema), 'interface'),
      samples: event.sample,
    },
  };

  return { webhook, module };
}

/** Rewrites the catalog's "Occurs when ..." into "Triggers when ...", Make's wording for trigger descriptions. */
function triggerDescription(description: string): string {
  const match = /^Occurs when\s+/i.exec(description);
  return match ? `Triggers when ${description.slice(match[0].length)}` : capitalize(description);
}

/** Returns the envelope's JSON Schema with `data` replaced by the schema of one event type's data. */
function envelopeSchemaWith(dataSchema: JsonSchema): JsonSchema {
  const envelope = toJsonSchema(eventEnvelopeSchema);
  const properties = envelope['properties'] as Record<string, JsonSchema>;
  const { $schema: _schema, ...data } = dataSchema;
  return {
    ...envelope,
    properties: {
      ...properties,
      data: { ...data, description: properties['data']?.['description'] },
    },
  };
}

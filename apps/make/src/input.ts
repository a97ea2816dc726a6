import {
  brand,
  catalog,
  eventDataJsonSchema,
  eventTypes,
  sampleEvent,
  type JsonSchema,
} from '@app/api-client';

import type { JsonObject, Origin } from './model.js';

/** One event type as the generator needs it: names for people, the JSON Schema of `data`, and a sample envelope. */
export interface EventTypeInput {
  /** `noun.verb` name, such as `invoice.paid`. */
  type: string;
  /** Title Case label, such as "Invoice Paid". */
  title: string;
  /** One sentence that starts with "Occurs when". */
  description: string;
  /** JSON Schema (draft 2020-12) of the event's `data`. */
  dataSchema: JsonSchema;
  /** A sample envelope `{ event_id, event_type, created_at, data }`. */
  sample: JsonObject;
}

/** The product names the app shows. */
export interface BrandInput {
  name: string;
  slug: string;
  description: string;
  defaultBaseUrl: string;
  apiKeysUrl: string;
}

/** Everything the generated app depends on besides the fixed contact and event routes of the API. */
export interface GeneratorInput {
  brand: BrandInput;
  eventTypes: EventTypeInput[];
  /** Make apps to deploy to, copied into `makecomapp.json`. */
  origins: Origin[];
}

/** Builds the generator input from the event catalog and brand of `@app/api-client`. */
export function catalogInput(origins: Origin[] = []): GeneratorInput {
  return {
    brand: {
      name: brand.name,
      slug: brand.slug,
      description: brand.description,
      defaultBaseUrl: brand.defaultBaseUrl,
      apiKeysUrl: brand.apiKeysUrl,
    },
    eventTypes: eventTypes.map((type) => ({
      type,
      title: catalog[type].title,
      description: catalog[type].description,
      dataSchema: eventDataJsonSchema(type),
      sample: JSON.parse(JSON.stringify(sampleEvent(type))) as JsonObject,
    })),
    origins,
  };
}

import { z } from 'zod';

import { catalog, eventTypes, type EventType } from './catalog.js';
import { sampleEvent, type EventEnvelope } from './envelope.js';

/** JSON Schema (draft 2020-12) document, as produced from a zod schema. */
export type JsonSchema = Record<string, unknown>;

/**
 * Converts a zod schema to a standalone JSON Schema (draft 2020-12) of the values it outputs. Schemas registered
 * with an id (such as `Contact`) come out as `$ref`s into `$defs`; they are inlined here so connectors can read
 * every property directly.
 */
export function toJsonSchema(schema: z.ZodType): JsonSchema {
  const document = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'output',
    reused: 'inline',
    unrepresentable: 'any',
  }) as JsonSchema;

  const definitions = (document['$defs'] ?? {}) as Record<string, JsonSchema>;
  const { $defs: _definitions, ...rest } = document;
  return inlineReferences(rest, definitions, 0) as JsonSchema;
}

function inlineReferences(
  node: unknown,
  definitions: Record<string, JsonSchema>,
  depth: number,
): unknown {
  if (depth > 32) {
    throw new Error('JSON Schema nests deeper than 32 levels; recursive schemas cannot be inlined');
  }
  if (Array.isArray(node)) {
    return node.map((item) => inlineReferences(item, definitions, depth + 1));
  }
  if (node === null || typeof node !== 'object') {
    return node;
  }

  const record = node as Record<string, unknown>;
  const reference = record['$ref'];
  if (typeof reference === 'string' && reference.startsWith('#/$defs/')) {
    const target = definitions[reference.slice('#/$defs/'.length)];
    if (!target) {
      throw new Error(`JSON Schema reference ${reference} has no definition`);
    }
    const { $ref: _reference, ...siblings } = record;
    return inlineReferences({ ...target, ...siblings }, definitions, depth + 1);
  }

  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    result[key] = inlineReferences(value, definitions, depth + 1);
  }
  return result;
}

/** Returns the JSON Schema of the `data` of one event type, derived from its zod schema. */
export function eventDataJsonSchema(type: EventType): JsonSchema {
  return toJsonSchema(catalog[type].schema);
}

/** An event type as `GET /v1/event-types` returns it. */
export interface EventTypeDescription {
  type: EventType;
  title: string;
  description: string;
  /** JSON Schema of `data`. */
  schema: JsonSchema;
  /** Sample envelope with the catalog sample as `data`. */
  sample: EventEnvelope;
}

/** Describes every event type of the catalog, in catalog order. */
export function describeEventTypes(): EventTypeDescription[] {
  return eventTypes.map((type) => ({
    type,
    title: catalog[type].title,
    description: catalog[type].description,
    schema: eventDataJsonSchema(type),
    sample: sampleEvent(type),
  }));
}

/** Schema of one item of `GET /v1/event-types`. */
export const eventTypeDescriptionSchema = z
  .object({
    type: z.string().describe('Event type name, `noun.verb`.'),
    title: z.string().describe('Title Case label.'),
    description: z.string().describe('One sentence saying when the event occurs.'),
    schema: z.record(z.string(), z.unknown()).describe('JSON Schema of `data`.'),
    sample: z.record(z.string(), z.unknown()).describe('Sample event envelope.'),
  })
  .meta({ id: 'EventType' });

import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { z } from 'zod';

import {
  catalog,
  describeEventTypes,
  endpointCreateSchema,
  endpointTestSchema,
  eventDataJsonSchema,
  eventEnvelopeSchema,
  eventTypes,
  getEventType,
  isEventType,
  sampleEvent,
  toJsonSchema,
  type EventType,
} from '../src/index';

// The catalog's order is part of the API: connectors list event types in this order.
const expectedTypes = [
  'contact.created',
  'contact.updated',
  'contact.deleted',
  'invoice.paid',
  'invoice.payment_failed',
  'report.generated',
];

function newValidator(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  addFormats(ajv);
  return ajv;
}

function containsKey(node: unknown, key: string): boolean {
  if (Array.isArray(node)) {
    return node.some((item) => containsKey(item, key));
  }
  if (node === null || typeof node !== 'object') {
    return false;
  }
  return Object.entries(node).some(([name, value]) => name === key || containsKey(value, key));
}

describe('catalog', () => {
  test('lists exactly the six event types in order', () => {
    expect(eventTypes).toEqual(expectedTypes);
  });

  test.each(eventTypes)('%s name is noun.verb', (type) => {
    expect(type).toMatch(/^[a-z]+(_[a-z]+)*\.[a-z]+(_[a-z]+)*$/);
  });

  test.each(eventTypes)('%s sample parses with its schema', (type) => {
    const definition = getEventType(type);

    const result = definition.schema.safeParse(definition.sample);

    expect(result.error).toBeUndefined();
    expect(result.success).toBe(true);
  });

  test.each(eventTypes)('%s title is Title Case', (type) => {
    const words = getEventType(type).title.split(' ');

    expect(words.length).toBeGreaterThan(0);
    for (const word of words) {
      expect(word).toMatch(/^[A-Z][a-z]*$/);
    }
  });

  test.each(eventTypes)('%s description is one sentence starting "Occurs when"', (type) => {
    const { description } = getEventType(type);

    expect(description.startsWith('Occurs when ')).toBe(true);
    expect(description.endsWith('.')).toBe(true);
    // One sentence: no sentence end before the final full stop.
    expect(description.slice(0, -1)).not.toMatch(/[.!?](\s|$)/);
    expect(description).not.toContain('\n');
  });

  test('isEventType accepts catalog names only', () => {
    for (const type of eventTypes) {
      expect(isEventType(type)).toBe(true);
    }
    expect(isEventType('contact.merged')).toBe(false);
    expect(isEventType('toString')).toBe(false);
    expect(isEventType('')).toBe(false);
  });
});

describe('catalog JSON Schema', () => {
  test.each(eventTypes)('%s schema has no $ref', (type) => {
    const schema = eventDataJsonSchema(type);

    expect(containsKey(schema, '$ref')).toBe(false);
    expect(containsKey(schema, '$defs')).toBe(false);
  });

  test.each(eventTypes)('%s schema lists every sample key as a property', (type) => {
    const schema = eventDataJsonSchema(type);
    const properties = schema['properties'] as Record<string, unknown> | undefined;

    expect(schema['type']).toBe('object');
    expect(properties).toBeDefined();
    for (const key of Object.keys(getEventType(type).sample)) {
      expect(Object.keys(properties ?? {})).toContain(key);
    }
  });

  test.each(eventTypes)('%s schema declares draft 2020-12', (type) => {
    expect(eventDataJsonSchema(type)['$schema']).toBe(
      'https://json-schema.org/draft/2020-12/schema',
    );
  });

  test.each(eventTypes)('%s sample validates against its JSON Schema', (type) => {
    const validate = newValidator().compile(eventDataJsonSchema(type));

    const valid = validate(getEventType(type).sample);

    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  test.each(eventTypes)('%s JSON Schema rejects a sample missing a required key', (type) => {
    const schema = eventDataJsonSchema(type);
    const required = schema['required'] as string[];
    const validate = newValidator().compile(schema);
    const [firstRequired] = required;
    const sample: Record<string, unknown> = { ...getEventType(type).sample };
    delete sample[firstRequired ?? ''];

    expect(required.length).toBeGreaterThan(0);
    expect(validate(sample)).toBe(false);
  });

  test('toJsonSchema inlines schemas registered with an id', () => {
    const registered = z.object({ name: z.string() }).meta({ id: 'RegisteredForTest' });
    const wrapper = z.object({ first: registered, second: registered });

    const schema = toJsonSchema(wrapper);
    const properties = schema['properties'] as Record<string, Record<string, unknown>>;

    expect(containsKey(schema, '$ref')).toBe(false);
    expect(properties['first']?.['properties']).toEqual({ name: { type: 'string' } });
    expect(properties['second']?.['properties']).toEqual({ name: { type: 'string' } });
  });
});

// Adding an event type must need one edit, the new `catalog` entry. These tests check that everything else exported
// is derived from the catalog's keys; test/catalog-extension.test.ts makes that edit for real on a copy.
describe('catalog derivation', () => {
  test('eventTypes are the catalog keys in order', () => {
    expect(eventTypes).toEqual(Object.keys(catalog));
  });

  test('describeEventTypes covers every catalog entry in order', () => {
    const descriptions = describeEventTypes();

    expect(descriptions.map((description) => description.type)).toEqual(Object.keys(catalog));
    for (const description of descriptions) {
      const definition = catalog[description.type];
      expect(description.title).toBe(definition.title);
      expect(description.description).toBe(definition.description);
      expect(description.schema).toEqual(eventDataJsonSchema(description.type));
      expect(description.sample).toEqual(sampleEvent(description.type));
    }
  });

  test('envelope event_type enum is the catalog keys', () => {
    const eventTypeSchema = eventEnvelopeSchema.shape.event_type;

    expect(eventTypeSchema.options).toEqual(Object.keys(catalog));
  });

  test('endpoint schemas accept exactly the catalog keys', () => {
    for (const type of Object.keys(catalog)) {
      expect(endpointTestSchema.safeParse({ event_type: type }).success).toBe(true);
    }
    expect(endpointTestSchema.safeParse({ event_type: 'contact.merged' }).success).toBe(false);
    expect(
      endpointCreateSchema.safeParse({
        url: 'https://example.com/hooks',
        event_types: Object.keys(catalog),
      }).success,
    ).toBe(true);
  });

  test.each(eventTypes)('%s sampleEvent wraps the catalog sample', (type: EventType) => {
    const envelope = sampleEvent(type);

    expect(envelope.event_type).toBe(type);
    expect(envelope.data).toEqual(catalog[type].sample);
    expect(eventEnvelopeSchema.safeParse(envelope).success).toBe(true);
  });

  test('sampleEvent ids differ between types', () => {
    const ids = new Set(eventTypes.map((type) => sampleEvent(type).event_id));

    expect(ids.size).toBe(eventTypes.length);
  });
});

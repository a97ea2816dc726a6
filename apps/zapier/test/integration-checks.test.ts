// Zapier's integration checks that can be evaluated offline, applied to the app definition. Each check id is
// Zapier's; the rule stated in the test name is what this suite enforces for it.
import { catalog, eventDataJsonSchema, eventTypes, type JsonSchema } from '@app/api-client';
import * as zapier from 'zapier-platform-core';
import type { PlainInputField, PlainOutputField } from 'zapier-platform-core';

import { describeSchema, propertiesOf } from '../src/fields/json-schema-fields';
import App from '../src/index';
import { triggerKeyOf } from '../src/triggers/event-trigger';

interface Operation {
  inputFields?: unknown[];
  outputFields?: unknown[];
  sample?: Record<string, unknown>;
  type?: string;
  performSubscribe?: unknown;
  performUnsubscribe?: unknown;
  performList?: unknown;
}

interface Action {
  key: string;
  noun: string;
  display: { label?: string; description?: string; hidden?: boolean };
  operation: Operation;
}

const triggers = Object.values(App.triggers as Record<string, Action>);
const creates = Object.values(App.creates as Record<string, Action>);
const searches = Object.values(App.searches as Record<string, Action>);
const visible = [...triggers, ...creates, ...searches].filter((action) => !action.display.hidden);
const hookTriggers = triggers.filter((trigger) => trigger.operation.type === 'hook');

// Words Title Case leaves in lower case unless they start the label.
const MINOR_WORDS = new Set([
  'a',
  'an',
  'and',
  'as',
  'at',
  'by',
  'for',
  'in',
  'of',
  'on',
  'or',
  'the',
  'to',
  'with',
]);
const ISO_8601_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;

function isTitleCase(label: string): boolean {
  return label.split(' ').every((word, index) => {
    const first = word.charAt(0);
    if (index > 0 && MINOR_WORDS.has(word)) {
      return true;
    }
    return first === first.toUpperCase() && first !== first.toLowerCase();
  });
}

/** Flattens an output object into Zapier's `parent__child` keys with their values; arrays stay whole. */
function flatten(value: Record<string, unknown>, prefix = ''): Map<string, unknown> {
  const result = new Map<string, unknown>();
  for (const [key, child] of Object.entries(value)) {
    if (child !== null && typeof child === 'object' && !Array.isArray(child)) {
      for (const [nestedKey, nestedValue] of flatten(
        child as Record<string, unknown>,
        `${prefix}${key}__`,
      )) {
        result.set(nestedKey, nestedValue);
      }
      continue;
    }
    result.set(`${prefix}${key}`, child);
  }
  return result;
}

/** Keys the schema requires at every level, flattened; an optional object's required keys are not required. */
function requiredKeys(schema: JsonSchema, prefix = ''): string[] {
  const required = new Set(
    Array.isArray(schema['required']) ? (schema['required'] as string[]) : [],
  );
  return propertiesOf(schema).flatMap(([name, property]) => {
    if (!required.has(name)) {
      return [];
    }
    const shape = describeSchema(property);
    if (shape.type === 'object' && propertiesOf(shape.schema).length > 0) {
      return requiredKeys(shape.schema, `${prefix}${name}__`);
    }
    return [`${prefix}${name}`];
  });
}

function staticOutputFields(operation: Operation): PlainOutputField[] {
  return (operation.outputFields ?? []).filter(
    (field): field is PlainOutputField => typeof field !== 'function',
  );
}

function staticInputFields(operation: Operation): PlainInputField[] {
  return (operation.inputFields ?? []).filter(
    (field): field is PlainInputField => typeof field !== 'function',
  );
}

describe('app definition', () => {
  test('passes the schema validation of zapier-platform-core', async () => {
    const handler = (
      zapier as unknown as {
        createAppHandler(app: object): (event: object) => Promise<{ results: unknown }>;
      }
    ).createAppHandler(App);

    const response = await handler({ command: 'validate' });

    expect(response.results).toEqual([]);
  });

  test('has one trigger per catalog event type', () => {
    const eventTriggers = hookTriggers.map((trigger) => [trigger.key, trigger.display.label]);

    expect(eventTriggers).toEqual(
      eventTypes.map((type) => [triggerKeyOf(type), catalog[type].title]),
    );
  });

  test('D001: no action asks for an API key', () => {
    for (const action of [...triggers, ...creates, ...searches]) {
      for (const field of staticInputFields(action.operation)) {
        expect(`${action.key}.${field.key}`).not.toMatch(/api[_-]?key|token|secret|password/i);
      }
    }
  });

  test('D003: the connection has a label', () => {
    expect(App.authentication?.connectionLabel).toBeDefined();
  });

  test.each(hookTriggers.map((trigger) => trigger.key))(
    'D006, D016, D017: %s lists, subscribes and unsubscribes',
    (key) => {
      const { operation } = (App.triggers as Record<string, Action>)[key] as Action;

      expect(typeof operation.performList).toBe('function');
      expect(typeof operation.performSubscribe).toBe('function');
      expect(typeof operation.performUnsubscribe).toBe('function');
    },
  );

  test.each(visible.map((action) => action.key))('D012: %s has a static sample', (key) => {
    const action = visible.find((candidate) => candidate.key === key) as Action;

    expect(action.operation.sample).toBeDefined();
    expect(Object.keys(action.operation.sample ?? {}).length).toBeGreaterThan(0);
  });

  test('D018: labels are Title Case', () => {
    const labels = [
      ...visible.map((action) => action.display.label ?? ''),
      ...Object.values(App.searchOrCreates ?? {}).map((pairing) => pairing.display.label ?? ''),
      ...visible.flatMap((action) =>
        staticInputFields(action.operation).map((field) => field.label ?? ''),
      ),
      ...visible.flatMap((action) =>
        staticOutputFields(action.operation).map((field) => field.label ?? ''),
      ),
    ];

    for (const label of labels) {
      expect([label, isTitleCase(label)]).toEqual([label, true]);
    }
  });

  test('D021: trigger descriptions start with "Triggers when"', () => {
    for (const trigger of triggers.filter((candidate) => !candidate.display.hidden)) {
      expect(trigger.display.description).toMatch(/^Triggers when [a-z].*\.$/);
    }
  });

  test('D021: action and search descriptions start with a verb', () => {
    for (const action of [...creates, ...searches]) {
      expect(action.display.description).toMatch(/^(Creates|Updates|Publishes|Finds) .*\.$/);
    }
  });

  test.each(visible.map((action) => action.key))(
    'D023: dates in the %s sample are ISO-8601 with a zone',
    (key) => {
      const action = visible.find((candidate) => candidate.key === key) as Action;
      const sample = flatten(action.operation.sample ?? {});
      const dateFields = staticOutputFields(action.operation).filter(
        (field) => field.type === 'datetime',
      );

      expect(dateFields.length).toBeGreaterThan(0);
      for (const field of dateFields) {
        const value = sample.get(field.key);
        if (value !== null && value !== undefined) {
          expect([field.key, value]).toEqual([
            field.key,
            expect.stringMatching(ISO_8601_WITH_ZONE),
          ]);
        }
      }
    },
  );

  test.each(visible.map((action) => action.key))(
    'D024: the %s sample keys are output fields',
    (key) => {
      const action = visible.find((candidate) => candidate.key === key) as Action;
      const sampleKeys = [...flatten(action.operation.sample ?? {}).keys()];
      const outputKeys = new Set(staticOutputFields(action.operation).map((field) => field.key));

      for (const sampleKey of sampleKeys) {
        expect([sampleKey, outputKeys.has(sampleKey)]).toEqual([sampleKey, true]);
      }
    },
  );

  test.each(eventTypes)('D024: the %s trigger sample has every required output field', (type) => {
    const trigger = (App.triggers as Record<string, Action>)[triggerKeyOf(type)] as Action;
    const sampleKeys = new Set(flatten(trigger.operation.sample ?? {}).keys());
    const required = [
      'id',
      'event_type',
      'created_at',
      ...requiredKeys(eventDataJsonSchema(type), 'data__'),
    ];

    for (const key of required) {
      expect([key, sampleKeys.has(key)]).toEqual([key, true]);
    }
  });

  test('D024: contact samples have every contact output field', () => {
    for (const action of [
      App.creates.create_contact,
      App.creates.update_contact,
      App.searches.find_contact,
    ]) {
      const sampleKeys = [...flatten(action.operation.sample ?? {}).keys()].sort();
      const outputKeys = staticOutputFields(action.operation)
        .map((field) => field.key)
        .sort();

      expect(sampleKeys).toEqual(outputKeys);
    }
  });

  test.each(eventTypes)('T004, T006: the %s sample has the shape of a delivered event', (type) => {
    const trigger = (App.triggers as Record<string, Action>)[triggerKeyOf(type)] as Action;

    expect(Object.keys(trigger.operation.sample ?? {})).toEqual([
      'id',
      'event_type',
      'created_at',
      'data',
    ]);
    expect(trigger.operation.sample?.['event_type']).toBe(type);
  });
});

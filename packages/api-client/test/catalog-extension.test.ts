// Proves that a seventh event type needs one edit: the test copies src/ to a temporary folder, inserts one entry into
// the copy's catalog.ts and nothing else, loads the copy, and checks that every derived export picks the type up.
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

import type * as apiClient from '../src/index';

type ApiClientModule = typeof apiClient;

const NEW_TYPE = 'invoice.voided';
const CATALOG_END = '\n} as const satisfies Record<string, EventTypeDefinition>;';
const NEW_ENTRY = `
  '${NEW_TYPE}': {
    title: 'Invoice Voided',
    description: 'Occurs when an invoice is voided and will not be collected.',
    schema: z.object({
      id: z.string().describe('Invoice id, prefixed \`inv_\`.'),
      number: z.string().describe('Human-readable invoice number.'),
      voided_at: timestampSchema,
    }),
    sample: {
      id: 'inv_01KQ3B5D7F9H1K3M5P7R9T1V3X',
      number: 'INV-2026-0131',
      voided_at: '2026-04-27T14:05:00.000Z',
    },
  },`;

const sample = {
  id: 'inv_01KQ3B5D7F9H1K3M5P7R9T1V3X',
  number: 'INV-2026-0131',
  voided_at: '2026-04-27T14:05:00.000Z',
};

let workDir: string;
let extended: ApiClientModule;

beforeAll(() => {
  const packageDir = resolve(__dirname, '..');
  workDir = mkdtempSync(join(tmpdir(), 'api-client-catalog-'));
  cpSync(join(packageDir, 'src'), join(workDir, 'src'), { recursive: true });
  // The copy resolves zod through the package's own node_modules.
  symlinkSync(join(packageDir, 'node_modules'), join(workDir, 'node_modules'), 'dir');

  const catalogPath = join(workDir, 'src', 'catalog.ts');
  const source = readFileSync(catalogPath, 'utf8');
  const anchorCount = source.split(CATALOG_END).length - 1;
  if (anchorCount !== 1) {
    throw new Error(
      `expected the catalog to end with "${CATALOG_END.trim()}" exactly once, found ${anchorCount}`,
    );
  }
  writeFileSync(catalogPath, source.replace(CATALOG_END, `${NEW_ENTRY}${CATALOG_END}`));

  jest.isolateModules(() => {
    extended = jest.requireActual<ApiClientModule>(join(workDir, 'src', 'index.ts'));
  });
});

afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

describe('catalog with a seventh type added', () => {
  test('eventTypes ends with the new type', () => {
    expect(extended.eventTypes).toHaveLength(7);
    expect(extended.eventTypes[6]).toBe(NEW_TYPE);
  });

  test('isEventType accepts the new type', () => {
    expect(extended.isEventType(NEW_TYPE)).toBe(true);
  });

  test('describeEventTypes includes the new type', () => {
    const description = extended
      .describeEventTypes()
      .find((item) => item.type === (NEW_TYPE as string));

    expect(description?.title).toBe('Invoice Voided');
    expect(Object.keys((description?.schema['properties'] ?? {}) as object)).toEqual([
      'id',
      'number',
      'voided_at',
    ]);
    expect(description?.sample.data).toEqual(sample);
  });

  test('derived JSON Schema validates the new sample', () => {
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true });
    addFormats(ajv);
    const validate = ajv.compile(extended.eventDataJsonSchema(NEW_TYPE as never));

    expect(validate(sample)).toBe(true);
  });

  test('createEvent and parseEvent accept the new type', () => {
    const envelope = extended.createEvent(NEW_TYPE as never, sample as never);

    expect(envelope.event_type).toBe(NEW_TYPE);
    expect(extended.parseEvent(envelope).data).toEqual(sample);
  });

  test('parseEvent checks the new type against its schema', () => {
    const envelope = {
      ...extended.sampleEvent(NEW_TYPE as never),
      data: { ...sample, voided_at: 'yesterday' },
    };

    expect(() => extended.parseEvent(envelope)).toThrow(/voided_at/);
  });

  test('endpoint schemas accept the new type', () => {
    expect(extended.endpointTestSchema.safeParse({ event_type: NEW_TYPE }).success).toBe(true);
    expect(
      extended.endpointCreateSchema.safeParse({
        url: 'https://example.com/hooks',
        event_types: [NEW_TYPE],
      }).success,
    ).toBe(true);
  });

  test('the unmodified package still has six types', () => {
    // Guards against the copy leaking into the normal module registry.
    const original = jest.requireActual<ApiClientModule>('../src/index');

    expect(original.eventTypes).toHaveLength(6);
  });
});

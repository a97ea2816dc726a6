import { toJsonSchema } from '@app/api-client';
import { z } from 'zod';

import { parametersFromObjectSchema } from '../src/json-schema-to-make';

describe('parametersFromObjectSchema', () => {
  const schema = toJsonSchema(
    z.object({
      id: z.string().describe('Record id.'),
      email: z.email(),
      homepage: z.url().nullable(),
      status: z.enum(['open', 'closed']),
      seats: z.number().int().min(1).max(50),
      score: z.number(),
      active: z.boolean(),
      opened_at: z.iso.datetime(),
      note: z.string().max(200).nullable().optional(),
      tags: z.array(z.string().min(1)).max(5),
      owner: z.object({ name: z.string(), email: z.email() }),
      lines: z.array(z.object({ sku: z.string(), quantity: z.number().int().min(0) })),
      extra: z.record(z.string(), z.unknown()),
    }),
  );

  test('interface types', () => {
    const fields = parametersFromObjectSchema(schema, 'interface');

    expect(fields.map((field) => [field.name, field.type])).toEqual([
      ['id', 'text'],
      ['email', 'email'],
      ['homepage', 'url'],
      ['status', 'text'],
      ['seats', 'uinteger'],
      ['score', 'number'],
      ['active', 'boolean'],
      ['opened_at', 'date'],
      ['note', 'text'],
      ['tags', 'array'],
      ['owner', 'collection'],
      ['lines', 'array'],
      ['extra', 'collection'],
    ]);
  });

  test('interface labels', () => {
    const fields = parametersFromObjectSchema(schema, 'interface');

    expect(fields.find((field) => field.name === 'opened_at')?.label).toBe('Opened At');
    expect(fields.find((field) => field.name === 'id')?.label).toBe('ID');
  });

  test('array of scalars has one item spec', () => {
    const tags = parametersFromObjectSchema(schema, 'interface').find(
      (field) => field.name === 'tags',
    );

    expect(tags?.spec).toEqual({ label: 'Tag', type: 'text' });
  });

  test('array of objects has a spec per field', () => {
    const lines = parametersFromObjectSchema(schema, 'interface').find(
      (field) => field.name === 'lines',
    );

    expect(lines?.spec).toEqual([
      { name: 'sku', label: 'Sku', type: 'text' },
      { name: 'quantity', label: 'Quantity', type: 'uinteger' },
    ]);
  });

  test('nested object becomes a collection', () => {
    const owner = parametersFromObjectSchema(schema, 'interface').find(
      (field) => field.name === 'owner',
    );

    expect(owner?.spec).toEqual([
      { name: 'name', label: 'Name', type: 'text' },
      { name: 'email', label: 'Email', type: 'email' },
    ]);
  });

  test('input adds required, help, options and limits', () => {
    const fields = parametersFromObjectSchema(schema, 'input');
    const byName = Object.fromEntries(fields.map((field) => [field.name, field]));

    expect(byName['id']).toEqual({
      name: 'id',
      label: 'ID',
      type: 'text',
      help: 'Record id.',
      required: true,
    });
    expect(byName['status']?.options).toEqual([
      { label: 'Open', value: 'open' },
      { label: 'Closed', value: 'closed' },
    ]);
    expect(byName['status']?.type).toBe('select');
    expect(byName['seats']?.validate).toEqual({ min: 1, max: 50 });
    expect(byName['note']).toEqual({
      name: 'note',
      label: 'Note',
      type: 'text',
      validate: { max: 200 },
    });
    expect(byName['tags']?.validate).toEqual({ maxItems: 5 });
    expect(byName['extra']?.type).toBe('json');
  });

  test('union of two types is rejected', () => {
    const union = toJsonSchema(z.object({ value: z.union([z.string(), z.number()]) }));

    expect(() => parametersFromObjectSchema(union, 'interface')).toThrow(
      /cannot map field "value"/,
    );
  });

  test('schema without a type is rejected', () => {
    const untyped = toJsonSchema(z.object({ value: z.unknown() }));

    expect(() => parametersFromObjectSchema(untyped, 'interface')).toThrow(
      /field "value".*received null/,
    );
  });
});

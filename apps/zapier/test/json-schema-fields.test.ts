import { eventDataJsonSchema, toJsonSchema, contactCreateSchema } from '@app/api-client';

import {
  describeSchema,
  inputFieldsFromSchema,
  outputFieldsFromSchema,
} from '../src/fields/json-schema-fields';
import { labelFromKey } from '../src/fields/labels';

describe('labelFromKey', () => {
  test.each([
    ['first_name', 'First Name'],
    ['id', 'ID'],
    ['hosted_invoice_url', 'Hosted Invoice URL'],
    ['contact_id', 'Contact ID'],
    ['data_json', 'Data JSON'],
    ['amount__due', 'Amount Due'],
  ])('%s becomes %s', (key, label) => {
    expect(labelFromKey(key)).toBe(label);
  });
});

describe('describeSchema', () => {
  test('reads a plain type', () => {
    expect(describeSchema({ type: 'integer' })).toMatchObject({ type: 'integer', nullable: false });
  });

  test('reads a type list with null', () => {
    expect(describeSchema({ type: ['string', 'null'] })).toMatchObject({
      type: 'string',
      nullable: true,
    });
  });

  test('reads anyOf with null and keeps the outer description', () => {
    const shape = describeSchema({
      description: 'When the next attempt is due.',
      anyOf: [
        { type: 'string', format: 'date-time', description: 'A timestamp.' },
        { type: 'null' },
      ],
    });

    expect(shape.type).toBe('string');
    expect(shape.nullable).toBe(true);
    expect(shape.schema['format']).toBe('date-time');
    expect(shape.schema['description']).toBe('When the next attempt is due.');
  });

  test('leaves a union of several types open', () => {
    expect(describeSchema({ anyOf: [{ type: 'string' }, { type: 'integer' }] })).toMatchObject({
      type: undefined,
      nullable: false,
    });
  });

  test('leaves a schema without type open', () => {
    expect(describeSchema({})).toMatchObject({ type: undefined, nullable: false });
  });
});

describe('outputFieldsFromSchema', () => {
  test('flattens nested objects with double underscores', () => {
    const fields = outputFieldsFromSchema(eventDataJsonSchema('contact.updated'), {
      keyPrefix: 'data__',
      labelPrefix: 'Contact',
    });

    expect(fields).toContainEqual({
      key: 'data__previous_attributes__company',
      label: 'Contact Previous Attributes Company',
      type: 'string',
    });
    expect(fields).toContainEqual({
      key: 'data__tags',
      label: 'Contact Tags',
      type: 'string',
      list: true,
    });
    expect(fields).toContainEqual({
      key: 'data__updated_at',
      label: 'Contact Updated At',
      type: 'datetime',
    });
  });

  test('types nullable timestamps as datetime', () => {
    const fields = outputFieldsFromSchema(eventDataJsonSchema('invoice.payment_failed'));

    expect(fields).toContainEqual({
      key: 'next_payment_attempt_at',
      label: 'Next Payment Attempt At',
      type: 'datetime',
    });
    expect(fields).toContainEqual({ key: 'amount_due', label: 'Amount Due', type: 'integer' });
  });

  test('leaves values of no single type untyped', () => {
    const fields = outputFieldsFromSchema({
      type: 'object',
      properties: { value: { anyOf: [{ type: 'string' }, { type: 'number' }] } },
    });

    expect(fields).toEqual([{ key: 'value', label: 'Value' }]);
  });
});

describe('inputFieldsFromSchema', () => {
  test('marks required fields and keeps descriptions as help text', () => {
    const fields = inputFieldsFromSchema(toJsonSchema(contactCreateSchema));

    expect(fields[0]).toEqual({
      key: 'email',
      label: 'Email',
      required: true,
      helpText: 'Email address, unique within the account.',
      type: 'string',
    });
  });

  test('makes a required nullable field optional', () => {
    const fields = inputFieldsFromSchema(eventDataJsonSchema('contact.created'));

    expect(fields.find((field) => field.key === 'company')).toMatchObject({ required: false });
    expect(fields.find((field) => field.key === 'email')).toMatchObject({ required: true });
  });

  test('turns enums into choices', () => {
    const fields = inputFieldsFromSchema(eventDataJsonSchema('report.generated'), {
      keyPrefix: 'data__',
    });

    expect(fields.find((field) => field.key === 'data__format')).toMatchObject({
      type: 'string',
      choices: ['csv', 'pdf', 'xlsx'],
    });
  });

  test('asks for JSON where no field type fits', () => {
    const fields = inputFieldsFromSchema({
      type: 'object',
      properties: { metadata: { type: 'object', description: 'Extra attributes.' } },
    });

    expect(fields).toEqual([
      {
        key: 'metadata',
        label: 'Metadata',
        required: false,
        type: 'text',
        helpText: 'Extra attributes. Enter a JSON value.',
      },
    ]);
  });
});

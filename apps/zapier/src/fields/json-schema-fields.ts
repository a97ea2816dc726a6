import type { JsonSchema } from '@app/api-client';
import type { PlainInputField, PlainOutputField } from 'zapier-platform-core';

import { labelFromKey } from './labels.js';

/** A JSON Schema with `null` taken out of its type: what a value is when it is present. */
export interface SchemaShape {
  /** The JSON type, or undefined when the schema allows several (a union, or no `type` at all). */
  type: string | undefined;
  /** True when the schema also accepts `null`. */
  nullable: boolean;
  /** The schema of a present value; carries `format`, `enum`, `items` and `properties`. */
  schema: JsonSchema;
}

/** Options of `outputFieldsFromSchema`. */
export interface OutputFieldOptions {
  /** Prepended to every key, such as `data__`; Zapier joins nested keys with a double underscore. */
  keyPrefix?: string;
  /** Prepended to every label, such as "Contact". */
  labelPrefix?: string;
}

/** Options of `inputFieldsFromSchema`. */
export interface InputFieldOptions {
  /** Prepended to every key, such as `data__`. */
  keyPrefix?: string;
}

/**
 * Resolves the two ways zod writes a nullable value, `type: ["string", "null"]` and `anyOf: [{...}, {type: "null"}]`,
 * into the schema of the present value plus a `nullable` flag.
 */
export function describeSchema(schema: JsonSchema): SchemaShape {
  const type = schema['type'];
  if (typeof type === 'string') {
    return { type, nullable: type === 'null', schema };
  }
  if (Array.isArray(type)) {
    const present = type.filter((item) => item !== 'null');
    const nullable = present.length < type.length;
    return { type: present.length === 1 ? String(present[0]) : undefined, nullable, schema };
  }

  const variants = schema['anyOf'] ?? schema['oneOf'];
  if (Array.isArray(variants)) {
    const members = variants as JsonSchema[];
    const present = members.filter((member) => member['type'] !== 'null');
    const nullable = present.length < members.length;
    const [single] = present;
    if (present.length === 1 && single) {
      // The outer schema keeps the description zod attached to the whole nullable value.
      const inner = describeSchema({ ...single, ...withoutVariants(schema) });
      return { ...inner, nullable: nullable || inner.nullable };
    }
    return { type: undefined, nullable, schema };
  }

  return { type: undefined, nullable: false, schema };
}

/**
 * Derives Zapier output fields from an object schema. Nested objects become `parent__child` keys, the way Zapier
 * flattens nested output; arrays of primitives become `list` fields.
 */
export function outputFieldsFromSchema(
  schema: JsonSchema,
  options: OutputFieldOptions = {},
): PlainOutputField[] {
  const keyPrefix = options.keyPrefix ?? '';
  const fields: PlainOutputField[] = [];

  for (const [name, property] of propertiesOf(schema)) {
    const key = `${keyPrefix}${name}`;
    const label = joinLabel(options.labelPrefix, labelFromKey(name));
    const shape = describeSchema(property);

    if (shape.type === 'object' && propertiesOf(shape.schema).length > 0) {
      fields.push(
        ...outputFieldsFromSchema(shape.schema, { keyPrefix: `${key}__`, labelPrefix: label }),
      );
      continue;
    }

    if (shape.type === 'array') {
      const itemType = outputType(describeSchema(itemsOf(shape.schema)));
      fields.push(itemType ? { key, label, type: itemType, list: true } : { key, label });
      continue;
    }

    const type = outputType(shape);
    fields.push(type ? { key, label, type } : { key, label });
  }

  return fields;
}

/**
 * Derives Zapier input fields from the top-level properties of an object schema. Descriptions become help text,
 * enums become static dropdowns, arrays of primitives become `list` fields, and anything else (objects, unions)
 * becomes a text field that takes JSON. A property that is required but nullable is optional here: leaving it
 * empty sends `null`.
 */
export function inputFieldsFromSchema(
  schema: JsonSchema,
  options: InputFieldOptions = {},
): PlainInputField[] {
  const keyPrefix = options.keyPrefix ?? '';
  const required = new Set(
    Array.isArray(schema['required']) ? (schema['required'] as string[]) : [],
  );

  return propertiesOf(schema).map(([name, property]) => {
    const shape = describeSchema(property);
    const description =
      typeof shape.schema['description'] === 'string' ? shape.schema['description'] : undefined;
    const field: PlainInputField = {
      key: `${keyPrefix}${name}`,
      label: labelFromKey(name),
      required: required.has(name) && !shape.nullable,
      ...(description ? { helpText: description } : {}),
    };
    return { ...field, ...inputTypeOf(shape, description) };
  });
}

/** Lists the properties of an object schema in declaration order. */
export function propertiesOf(schema: JsonSchema): Array<[string, JsonSchema]> {
  const properties = schema['properties'];
  if (properties === null || typeof properties !== 'object') {
    return [];
  }
  return Object.entries(properties as Record<string, JsonSchema>);
}

/** Returns the item schema of an array schema, or an empty schema when it has none. */
export function itemsOf(schema: JsonSchema): JsonSchema {
  const items = schema['items'];
  return items !== null && typeof items === 'object' && !Array.isArray(items)
    ? (items as JsonSchema)
    : {};
}

function inputTypeOf(
  shape: SchemaShape,
  description: string | undefined,
): Partial<PlainInputField> {
  const enumValues = shape.schema['enum'];
  if (Array.isArray(enumValues) && enumValues.every((value) => typeof value === 'string')) {
    return { type: 'string', choices: enumValues as string[] };
  }

  if (shape.type === 'array') {
    const itemType = outputType(describeSchema(itemsOf(shape.schema)));
    if (itemType) {
      return { type: itemType, list: true };
    }
  }

  const type = outputType(shape);
  if (type) {
    return { type };
  }

  // Objects and unions have no Zapier field type; the user enters JSON and the perform function parses it.
  return {
    type: 'text',
    helpText: [description, 'Enter a JSON value.'].filter(Boolean).join(' '),
  };
}

function outputType(shape: SchemaShape): PlainOutputField['type'] | undefined {
  switch (shape.type) {
    case 'string':
      return shape.schema['format'] === 'date-time' ? 'datetime' : 'string';
    case 'integer':
      return 'integer';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    default:
      return undefined;
  }
}

function joinLabel(prefix: string | undefined, label: string): string {
  return prefix ? `${prefix} ${label}` : label;
}

function withoutVariants(schema: JsonSchema): JsonSchema {
  const { anyOf: _anyOf, oneOf: _oneOf, ...rest } = schema;
  return rest;
}

import type { JsonSchema } from '@app/api-client';

import type { MakeParameter } from './model.js';
import { singularize, toLabel } from './names.js';

/**
 * Purpose of the parameters: `interface` lists the fields a module outputs, `input` the mappable fields a user
 * fills in (with `required`, `help`, select options and length limits).
 */
export type ParameterMode = 'interface' | 'input';

type Schema = Record<string, unknown>;

/** zod writes `.int()` bounds as the safe integer range; such a bound is no real limit for a user. */
const UNBOUNDED = Number.MAX_SAFE_INTEGER;

/**
 * Converts the properties of an object JSON Schema into Make parameters, in property order.
 * Throws an `Error` naming the field when a property has a shape no Make parameter type expresses
 * (a union of different types, or a schema without `type`).
 */
export function parametersFromObjectSchema(
  schema: JsonSchema,
  mode: ParameterMode,
  path = '',
): MakeParameter[] {
  const properties = asSchema(schema['properties']);
  const required = new Set(
    Array.isArray(schema['required']) ? (schema['required'] as string[]) : [],
  );

  return Object.entries(properties).map(([name, property]) =>
    parameterFromSchema({
      name,
      schema: asSchema(property),
      required: required.has(name),
      mode,
      path: path ? `${path}.${name}` : name,
    }),
  );
}

interface FieldSchema {
  name: string;
  schema: Schema;
  required: boolean;
  mode: ParameterMode;
  path: string;
}

function parameterFromSchema(field: FieldSchema): MakeParameter {
  const schema = withoutNull(field.schema, field.path);
  const parameter: MakeParameter = {
    name: field.name,
    label: toLabel(field.name),
    ...typeOf(schema, field),
  };

  if (field.mode === 'input') {
    const description = field.schema['description'] ?? schema['description'];
    if (typeof description === 'string' && description.length > 0) {
      parameter.help = description;
    }
    if (field.required) {
      parameter.required = true;
    }
  }
  return parameter;
}

/** Returns the type-specific part of a parameter: `type`, and `spec`, `options` or `validate` where they apply. */
function typeOf(schema: Schema, field: FieldSchema): Omit<MakeParameter, 'name' | 'label'> {
  const type = schema['type'];
  switch (type) {
    case 'string':
      return stringTypeOf(schema, field.mode);
    case 'integer':
      return integerTypeOf(schema, field.mode);
    case 'number':
      return { type: 'number' };
    case 'boolean':
      return { type: 'boolean' };
    case 'array':
      return arrayTypeOf(schema, field);
    case 'object':
      return objectTypeOf(schema, field);
    default:
      throw new Error(
        `cannot map the JSON Schema of field "${field.path}" to a Make parameter type: expected type string, ` +
          `integer, number, boolean, array or object, received ${JSON.stringify(type ?? null)}`,
      );
  }
}

function stringTypeOf(schema: Schema, mode: ParameterMode): Omit<MakeParameter, 'name' | 'label'> {
  const values = schema['enum'];
  if (Array.isArray(values) && mode === 'input') {
    return {
      type: 'select',
      options: values.map((value) => ({ label: toLabel(String(value)), value: String(value) })),
    };
  }

  switch (schema['format']) {
    case 'date-time':
    case 'date':
      return { type: 'date' };
    case 'email':
      return { type: 'email' };
    case 'uri':
    case 'url':
      return { type: 'url' };
    case 'uuid':
      return { type: 'uuid' };
    default:
      break;
  }

  const validate = mode === 'input' ? lengthLimits(schema) : undefined;
  return validate ? { type: 'text', validate } : { type: 'text' };
}

function integerTypeOf(schema: Schema, mode: ParameterMode): Omit<MakeParameter, 'name' | 'label'> {
  const minimum = typeof schema['minimum'] === 'number' ? schema['minimum'] : undefined;
  const maximum = typeof schema['maximum'] === 'number' ? schema['maximum'] : undefined;
  const type = minimum !== undefined && minimum >= 0 ? 'uinteger' : 'integer';
  if (mode === 'interface') {
    return { type };
  }

  const validate: MakeParameter['validate'] = {};
  if (minimum !== undefined && minimum > 0) {
    validate.min = minimum;
  }
  if (maximum !== undefined && maximum < UNBOUNDED) {
    validate.max = maximum;
  }
  return Object.keys(validate).length > 0 ? { type, validate } : { type };
}

function arrayTypeOf(schema: Schema, field: FieldSchema): Omit<MakeParameter, 'name' | 'label'> {
  const items = withoutNull(asSchema(schema['items']), `${field.path}[]`);
  const spec: MakeParameter | MakeParameter[] =
    items['type'] === 'object' && items['properties'] !== undefined
      ? parametersFromObjectSchema(items, field.mode, `${field.path}[]`)
      : {
          label: toLabel(singularize(field.name)),
          ...typeOf(items, { ...field, path: `${field.path}[]` }),
        };

  const result: Omit<MakeParameter, 'name' | 'label'> = { type: 'array', spec };
  if (field.mode === 'input') {
    const validate: MakeParameter['validate'] = {};
    if (typeof schema['minItems'] === 'number' && schema['minItems'] > 0) {
      validate.minItems = schema['minItems'];
    }
    if (typeof schema['maxItems'] === 'number') {
      validate.maxItems = schema['maxItems'];
    }
    if (Object.keys(validate).length > 0) {
      result.validate = validate;
    }
  }
  return result;
}

function objectTypeOf(schema: Schema, field: FieldSchema): Omit<MakeParameter, 'name' | 'label'> {
  if (schema['properties'] === undefined) {
    // An open record (`z.record`): a user enters it as JSON, and Make parses it into an object.
    return field.mode === 'input' ? { type: 'json' } : { type: 'collection' };
  }
  return { type: 'collection', spec: parametersFromObjectSchema(schema, field.mode, field.path) };
}

function lengthLimits(schema: Schema): MakeParameter['validate'] | undefined {
  const validate: MakeParameter['validate'] = {};
  if (typeof schema['minLength'] === 'number' && schema['minLength'] > 0) {
    validate.min = schema['minLength'];
  }
  if (typeof schema['maxLength'] === 'number') {
    validate.max = schema['maxLength'];
  }
  return Object.keys(validate).length > 0 ? validate : undefined;
}

/**
 * Returns the non-null part of a nullable schema (`type: ["string", "null"]` or `anyOf: [X, {type: "null"}]`),
 * keeping the outer description. Nullability itself has no Make parameter equivalent: an empty field is left out.
 */
function withoutNull(schema: Schema, path: string): Schema {
  const type = schema['type'];
  if (Array.isArray(type)) {
    const nonNull = type.filter((item) => item !== 'null');
    if (nonNull.length !== 1) {
      throw new Error(
        `cannot map field "${path}": it allows the types ${JSON.stringify(type)}, expected one type`,
      );
    }
    return { ...schema, type: nonNull[0] };
  }

  const variants = schema['anyOf'] ?? schema['oneOf'];
  if (Array.isArray(variants)) {
    const nonNull = variants.map(asSchema).filter((variant) => variant['type'] !== 'null');
    const [only] = nonNull;
    if (nonNull.length !== 1 || only === undefined) {
      throw new Error(
        `cannot map field "${path}": it is a union of ${nonNull.length} non-null schemas, expected one`,
      );
    }
    const description = schema['description'] ?? only['description'];
    return description === undefined ? only : { ...only, description };
  }
  return schema;
}

function asSchema(value: unknown): Schema {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Schema)
    : {};
}

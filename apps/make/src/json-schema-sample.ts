import type { JsonSchema } from '@app/api-client';

import type { JsonValue } from './model.js';

/**
 * Builds a placeholder value that matches a JSON Schema: format-aware strings, the first enum value, the minimum of
 * a number, one item per array, every property of an object. Used for module samples only when the catalog has
 * no real sample of that shape.
 */
export function sampleFromJsonSchema(schema: JsonSchema): JsonValue {
  const type = Array.isArray(schema['type'])
    ? (schema['type'] as string[]).find((item) => item !== 'null')
    : schema['type'];
  const variants = (schema['anyOf'] ?? schema['oneOf']) as JsonSchema[] | undefined;
  if (type === undefined && Array.isArray(variants)) {
    const nonNull = variants.find((variant) => variant['type'] !== 'null');
    return nonNull ? sampleFromJsonSchema(nonNull) : null;
  }

  switch (type) {
    case 'object': {
      const properties = (schema['properties'] ?? {}) as Record<string, JsonSchema>;
      return Object.fromEntries(
        Object.entries(properties).map(([name, property]) => [
          name,
          sampleFromJsonSchema(property),
        ]),
      );
    }
    case 'array':
      return [sampleFromJsonSchema((schema['items'] ?? {}) as JsonSchema)];
    case 'integer':
    case 'number':
      return typeof schema['minimum'] === 'number' ? schema['minimum'] : 0;
    case 'boolean':
      return false;
    case 'string':
      return sampleString(schema);
    default:
      return null;
  }
}

function sampleString(schema: JsonSchema): string {
  const values = schema['enum'];
  if (Array.isArray(values) && values.length > 0) {
    return String(values[0]);
  }
  switch (schema['format']) {
    case 'date-time':
      return '2026-03-01T12:00:00.000Z';
    case 'email':
      return 'someone@example.com';
    case 'uri':
    case 'url':
      return 'https://example.com/';
    default:
      return 'text';
  }
}

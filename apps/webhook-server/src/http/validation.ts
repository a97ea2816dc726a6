import type { FieldError } from '@app/api-client';
import type { z } from 'zod';

import { ApiProblem } from './errors.js';
import { findNulCharacter } from './nul-character.js';

/** Source of an input value; it prefixes field paths for query and path parameters. */
export type InputLocation = 'body' | 'query' | 'path';

/**
 * Parses `value` with `schema`. On failure throws an `ApiProblem` listing every invalid field: 422 for a body that
 * is JSON but breaks the schema, 400 for invalid query or path parameters. A string containing a NUL character is
 * rejected the same way before the schema runs, because PostgreSQL cannot store it. `prefix` is prepended to field paths
 * when `value` is a nested part of the input (`data` of a published event).
 */
export function parseInput<T extends z.ZodType>(
  schema: T,
  value: unknown,
  location: InputLocation,
  prefix?: string,
): z.output<T> {
  // A POST without a body is checked as an empty object, so the error names each required field, not the body.
  const input = location === 'body' && prefix === undefined && value === undefined ? {} : value;

  const nulPath = findNulCharacter(input);
  if (nulPath !== undefined) {
    const path = [prefix, ...nulPath.map(String)].filter(Boolean).join('.');
    const field =
      (location === 'body' ? path : [location, path].filter(Boolean).join('.')) || location;
    const message = 'contains a NUL character (\\u0000), which cannot be stored; remove it';
    throw new ApiProblem({
      status: location === 'body' ? 422 : 400,
      code: 'validation_failed',
      field,
      errors: [{ field, code: 'invalid_string', message }],
      detail: `${field}: ${message}`,
    });
  }

  // reportInput puts the offending value on each issue, which distinguishes a missing field from one of the wrong type.
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) {
    return result.data;
  }

  const errors: FieldError[] = result.error.issues.flatMap((issue) => {
    // Zod reports an unknown key at its parent object. Naming the key itself shows the client what to remove.
    const paths =
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => [...issue.path, key])
        : [issue.path];
    return paths.map((issuePath) => {
      const path = [prefix, ...issuePath.map(String)].filter(Boolean).join('.');
      const field = location === 'body' ? path : [location, path].filter(Boolean).join('.');
      return { field: field || location, code: issueCode(issue), message: issueMessage(issue) };
    });
  });
  const first = errors[0] ?? { field: location, code: 'invalid', message: 'invalid value' };
  const status = location === 'body' ? 422 : 400;

  throw new ApiProblem({
    status,
    code: 'validation_failed',
    field: first.field,
    errors,
    detail: `${first.field}: ${first.message}`,
  });
}

function issueCode(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return 'required';
  }
  if (issue.code === 'unrecognized_keys') {
    return 'unknown_field';
  }
  return issue.code;
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return `is required (expected ${issue.expected})`;
  }
  if (issue.code === 'unrecognized_keys') {
    return 'is not a known field; remove it';
  }
  return issue.message;
}

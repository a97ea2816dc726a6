import { z } from 'zod';

import { containsIml, parseTemplate } from './iml.js';

/** A string that may hold IML expressions; each `{{...}}` must parse. */
export const imlString = z.string().superRefine((value, context) => {
  if (!containsIml(value) && !value.includes('}}')) {
    return;
  }
  try {
    parseTemplate(value);
  } catch (error) {
    context.addIssue({ code: 'custom', message: (error as Error).message });
  }
});

/** A string in a position where Make reads no IML (names, labels, types, samples): `{{` is rejected. */
export const plainString = z.string().refine((value) => !containsIml(value), {
  message: 'IML is not evaluated here; the value must not contain "{{"',
});

/** An IML string that is nothing but IML, used where Make expects an expression (`iterate`, `condition`). */
export const imlExpression = imlString.refine((value) => /^\{\{[\s\S]*\}\}$/.test(value), {
  message: 'expected an IML expression "{{...}}"',
});

type JsonLike = string | number | boolean | null | JsonLike[] | { [key: string]: JsonLike };

/** Any JSON value whose strings are IML strings, as in `body`, `output` and `data`. */
export const imlValue: z.ZodType<JsonLike> = z.lazy(() =>
  z.union([
    imlString,
    z.number(),
    z.boolean(),
    z.null(),
    z.array(imlValue),
    z.record(z.string(), imlValue),
  ]),
);

/** Any JSON value without IML, as in samples and parameter defaults. */
export const plainValue: z.ZodType<JsonLike> = z.lazy(() =>
  z.union([
    plainString,
    z.number(),
    z.boolean(),
    z.null(),
    z.array(plainValue),
    z.record(z.string(), plainValue),
  ]),
);

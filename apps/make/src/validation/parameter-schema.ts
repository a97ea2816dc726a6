import { z } from 'zod';

import { parameterTypes, RPC_OPTIONS_PREFIX } from '../make-format.js';
import { plainString, plainValue } from './iml-strings.js';

/**
 * Zod schemas of Make parameters, the format shared by connection and webhook parameters, static and mappable
 * parameters, RPC parameters and interfaces. Written from Make's "Parameters" documentation (one page per type)
 * and the extension's `parameters.json`. Names, labels, help and types are never IML.
 */

/** A parameter as the schemas below accept it. */
export interface ParameterSpec {
  name: string;
  label?: string;
  help?: string;
  type: (typeof parameterTypes)[number];
  default?: unknown;
  required?: boolean;
  advanced?: boolean;
  editable?: boolean | { enabled: boolean; help?: string };
  multiline?: boolean;
  multiple?: boolean;
  grouped?: boolean;
  dynamic?: boolean;
  sort?: 'asc' | 'desc';
  time?: boolean;
  tags?: 'strip' | 'stripall' | 'escape';
  coder?: boolean;
  semantic?: string;
  options?:
    | string
    | OptionSpec[]
    | { store: string | OptionSpec[]; label?: string; value?: string; placeholder?: unknown };
  validate?:
    | boolean
    | { min?: number; max?: number; pattern?: string; minItems?: number; maxItems?: number };
  spec?: ArrayItemSpec | ParameterSpec[];
  nested?: string | ParameterSpec[];
}

/** The item parameter of an array of scalars, which has no name. */
export type ArrayItemSpec = Omit<ParameterSpec, 'name'> & { name?: string };

/** One option of a select. */
export interface OptionSpec {
  label: string;
  value: unknown;
  default?: boolean;
  short?: string;
  nested?: string | ParameterSpec[];
}

const optionSchema: z.ZodType<OptionSpec> = z.lazy(() =>
  z.strictObject({
    label: plainString.min(1).max(256),
    value: plainValue,
    default: z.boolean().optional(),
    short: plainString.optional(),
    nested: z.union([plainString, parameterListSchema]).optional(),
  }),
);

const optionsSchema = z.union([
  plainString.refine((value) => value.startsWith(RPC_OPTIONS_PREFIX), {
    message: `options given as a string must load them from an RPC: "${RPC_OPTIONS_PREFIX}<rpc id>"`,
  }),
  z.array(optionSchema),
  z.strictObject({
    store: z.union([plainString, z.array(optionSchema)]),
    label: plainString.optional(),
    value: plainString.optional(),
    placeholder: z.union([plainString, z.strictObject({ label: plainString })]).optional(),
  }),
]);

const validateSchema = z.union([
  z.boolean(),
  z.strictObject({
    min: z.number().optional(),
    max: z.number().optional(),
    pattern: plainString.optional(),
    minItems: z.number().int().min(0).optional(),
    maxItems: z.number().int().min(0).optional(),
  }),
]);

function parameterFields() {
  return {
    name: plainString.min(1).max(128),
    label: plainString.min(1).max(256).optional(),
    help: plainString.min(1).optional(),
    type: z.enum(parameterTypes),
    default: plainValue.optional(),
    required: z.boolean().optional(),
    advanced: z.boolean().optional(),
    editable: z
      .union([
        z.boolean(),
        z.strictObject({ enabled: z.boolean(), help: plainString.min(1).optional() }),
      ])
      .optional(),
    multiline: z.boolean().optional(),
    multiple: z.boolean().optional(),
    grouped: z.boolean().optional(),
    dynamic: z.boolean().optional(),
    sort: z.enum(['asc', 'desc']).optional(),
    time: z.boolean().optional(),
    tags: z.enum(['strip', 'stripall', 'escape']).optional(),
    coder: z.boolean().optional(),
    semantic: plainString.min(1).optional(),
    options: optionsSchema.optional(),
    validate: validateSchema.optional(),
    spec: z.union([arrayItemSchema, parameterListSchema]).optional(),
    nested: z.union([plainString, parameterListSchema]).optional(),
  };
}

function checkTypeRules(
  parameter: { type: string; options?: unknown; spec?: unknown },
  context: z.RefinementCtx,
): void {
  if (parameter.type === 'select' && parameter.options === undefined) {
    context.addIssue({
      code: 'custom',
      path: ['options'],
      message: 'a select parameter needs options',
    });
  }
  if (parameter.type !== 'select' && parameter.options !== undefined) {
    context.addIssue({
      code: 'custom',
      path: ['options'],
      message: `a ${parameter.type} parameter takes no options`,
    });
  }
  if (
    parameter.spec !== undefined &&
    parameter.type !== 'array' &&
    parameter.type !== 'collection'
  ) {
    context.addIssue({
      code: 'custom',
      path: ['spec'],
      message: `a ${parameter.type} parameter takes no spec`,
    });
  }
  if (
    parameter.type === 'collection' &&
    parameter.spec !== undefined &&
    !Array.isArray(parameter.spec)
  ) {
    context.addIssue({
      code: 'custom',
      path: ['spec'],
      message: 'the spec of a collection is a list of parameters',
    });
  }
}

/** One parameter of a list: `name` is required. */
export const parameterSchema: z.ZodType<ParameterSpec> = z.lazy(() =>
  z.strictObject(parameterFields()).superRefine(checkTypeRules),
);

/** The single item parameter of an array of scalars (`"spec": { "type": "text", "label": "Tag" }`): no name. */
const arrayItemSchema: z.ZodType<ArrayItemSpec> = z.lazy(() =>
  z
    .strictObject({ ...parameterFields(), name: plainString.min(1).max(128).optional() })
    .superRefine(checkTypeRules),
);

/** A parameter list; names are unique within one list. */
export const parameterListSchema: z.ZodType<ParameterSpec[]> = z.lazy(() =>
  z.array(parameterSchema).superRefine((parameters, context) => {
    const seen = new Set<string>();
    parameters.forEach((parameter, index) => {
      if (seen.has(parameter.name)) {
        context.addIssue({
          code: 'custom',
          path: [index, 'name'],
          message: `duplicate parameter name "${parameter.name}"`,
        });
      }
      seen.add(parameter.name);
    });
  }),
);

/** Samples: one example bundle a module outputs, as plain JSON (Make evaluates no IML in samples). */
export const samplesSchema = z.record(z.string(), plainValue);

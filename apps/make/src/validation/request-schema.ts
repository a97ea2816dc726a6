import { z } from 'zod';

import { errorTypes, httpMethods, requestBodyTypes, responseBodyTypes } from '../make-format.js';
import { imlExpression, imlString, imlValue, plainString } from './iml-strings.js';

/**
 * Zod schemas of Make's request specification (the `communication`, `attach`, `detach` and RPC files and, without
 * `url`, the base). Written from Make's "Communication", "Pagination", "Error" and "Base" documentation and the
 * extension's `api.json`, `base.json`, `response.json`, `sources.json` and `enums.json`.
 */

/** Header and query string values: a flat object of scalars or arrays. */
const flatObject = z.record(
  z.string().min(1),
  z.union([
    imlString,
    z.number(),
    z.boolean(),
    z.null(),
    z.array(z.union([imlString, z.number(), z.boolean()])),
  ]),
);

/** An IML string or a boolean, as `condition` and `valid` take. */
const imlCondition = z.union([z.boolean(), imlString]);

const errorType = z.enum(errorTypes);

const statusError = z.strictObject({
  message: imlString.max(1024),
  type: errorType.optional(),
});

/** `response.error`: a message, or a default message and type with overrides keyed by HTTP status (`"401"`). */
export const responseErrorSchema = z.union([
  imlString.max(1024),
  z
    .object({
      message: imlString.max(1024),
      type: errorType.optional(),
    })
    .catchall(statusError)
    .superRefine((value, context) => {
      for (const key of Object.keys(value)) {
        if (key !== 'message' && key !== 'type' && !/^[1-5][0-9][0-9]$/.test(key)) {
          context.addIssue({
            code: 'custom',
            path: [key],
            message: `"${key}" is neither a directive nor an HTTP status`,
          });
        }
      }
    }),
]);

const responseTypeValue = z.enum(responseBodyTypes);

/** `response`: how Make reads a reply. */
export const responseSchema = z.strictObject({
  type: z
    .union([
      responseTypeValue,
      z.record(
        z.string().regex(/^(\*|[0-9]{3}-[0-9]{3}|[0-9]{3})$/, 'expected "*", "NNN" or "NNN-NNN"'),
        responseTypeValue,
      ),
    ])
    .optional(),
  valid: imlCondition.optional(),
  limit: z.union([z.number().int().positive(), imlExpression]).optional(),
  error: responseErrorSchema.optional(),
  iterate: z
    .union([
      imlExpression,
      z.strictObject({ container: imlExpression, condition: imlCondition.optional() }),
    ])
    .optional(),
  temp: z.record(z.string(), imlValue).optional(),
  output: imlValue.optional(),
  wrapper: imlValue.optional(),
  data: z.record(z.string().min(1), imlValue).optional(),
  metadata: z
    .strictObject({
      type: z.union([z.enum(['text', 'email']), imlExpression]),
      value: imlString.max(512),
    })
    .optional(),
  uid: z.union([imlString, z.number()]).optional(),
});

/** `pagination`: the follow-up request Make sends while `condition` is true and the module's limit is not reached. */
export const paginationSchema = z.strictObject({
  mergeWithParent: z.boolean().optional(),
  url: imlString.min(1).max(512).optional(),
  method: z.union([z.enum(httpMethods), imlExpression]).optional(),
  headers: flatObject.optional(),
  qs: flatObject.optional(),
  body: imlValue.optional(),
  condition: imlCondition,
});

/** `log.sanitize`: dotted paths of the request and response that Make masks in logs. */
export const logSchema = z.strictObject({
  sanitize: z.array(
    plainString.regex(
      /^(request|response)\.[A-Za-z0-9_.-]+$/,
      'expected a "request." or "response." path',
    ),
  ),
});

const requestFields = {
  baseUrl: imlString.min(1).max(512).optional(),
  encodeUrl: z.boolean().optional(),
  method: z.union([z.enum(httpMethods), imlExpression]).optional(),
  headers: flatObject.optional(),
  qs: flatObject.optional(),
  body: imlValue.optional(),
  type: z.enum(requestBodyTypes).optional(),
  temp: z.record(z.string(), imlValue).optional(),
  condition: imlCondition.optional(),
  followRedirects: z.boolean().optional(),
  followAllRedirects: z.boolean().optional(),
  response: responseSchema.optional(),
  pagination: paginationSchema.optional(),
  log: logSchema.optional(),
};

/**
 * One request. `url` is required; a relative URL (`/contacts`) is appended to the base URL. POST, PUT and PATCH
 * carry a `body`. (The extension's editor schema also requires a body on DELETE, but Make's own detach example
 * sends a DELETE without one, so a bodiless DELETE is accepted here.)
 */
export const requestSchema = z
  .strictObject({ url: imlString.min(1).max(512), ...requestFields })
  .superRefine((request, context) => {
    if (
      request.method !== undefined &&
      ['POST', 'PUT', 'PATCH'].includes(request.method) &&
      request.body === undefined
    ) {
      context.addIssue({
        code: 'custom',
        path: ['body'],
        message: `a ${request.method} request needs a body`,
      });
    }
    if (request.baseUrl !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['baseUrl'],
        message: 'baseUrl belongs in the base, not in a request',
      });
    }
  });

/** A communication file: one request or several in sequence. */
export const communicationSchema = z.union([requestSchema, z.array(requestSchema).min(1)]);

/** The base (`general/base.iml.json`): defaults every module, RPC and webhook request inherits. */
export const baseSchema = z.strictObject({
  baseUrl: imlString.min(1).max(512),
  headers: flatObject.optional(),
  qs: flatObject.optional(),
  body: imlValue.optional(),
  response: responseSchema.optional(),
  log: logSchema.optional(),
});

export type RequestSpec = z.infer<typeof requestSchema>;
export type ResponseSpec = z.infer<typeof responseSchema>;
export type BaseSpec = z.infer<typeof baseSchema>;

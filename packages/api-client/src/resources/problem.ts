import { z } from 'zod';

/** One invalid field in a request, as reported inside a problem document. */
export const fieldErrorSchema = z.object({
  field: z
    .string()
    .describe('Dotted path of the invalid field, such as `data.email` or `query.limit`.'),
  code: z
    .string()
    .describe('Stable machine-readable reason, such as `invalid_format` or `required`.'),
  message: z.string().describe('What is wrong with the value and what to send instead.'),
});

/** RFC 9457 problem details with this API's extensions: a stable `code` and the offending `field`. */
export const problemSchema = z
  .object({
    type: z.string().describe('URI reference that identifies the problem type.'),
    title: z.string().describe('Short summary of the problem type.'),
    status: z.number().int().describe('HTTP status code.'),
    detail: z.string().describe('What went wrong in this request and what to do about it.'),
    code: z.string().describe('Stable machine-readable error code.'),
    field: z
      .string()
      .optional()
      .describe('The first offending field, when one field caused the error.'),
    errors: z
      .array(fieldErrorSchema)
      .optional()
      .describe('Every invalid field, for validation errors.'),
    instance: z.string().optional().describe('The request path that failed.'),
  })
  .meta({ id: 'Problem' });

/** One invalid field of a request. */
export type FieldError = z.infer<typeof fieldErrorSchema>;
/** RFC 9457 problem document as the API returns it. */
export type Problem = z.infer<typeof problemSchema>;

/** Stable error codes the API returns in `code`. */
export const errorCodes = [
  'validation_failed',
  'invalid_json',
  'unsupported_media_type',
  'payload_too_large',
  'unauthorized',
  'not_found',
  'route_not_found',
  'method_not_allowed',
  'conflict',
  'idempotency_key_invalid',
  'idempotency_key_reused',
  'idempotency_request_in_flight',
  'unknown_event_type',
  'endpoint_url_rejected',
  'rate_limited',
  'internal_error',
] as const;

/** One of the stable error codes in `errorCodes`. */
export type ErrorCode = (typeof errorCodes)[number];

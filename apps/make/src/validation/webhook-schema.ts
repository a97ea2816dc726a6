import { z } from 'zod';

import { imlExpression, imlString, imlValue } from './iml-strings.js';

/**
 * Zod schema of a webhook's own communication: how Make turns an incoming request into bundles and what it
 * replies. Written from Make's "Webhooks" documentation (`verification`, `respond`, `iterate`, `output`,
 * `condition`, `uid`); it contains no outgoing request, so there is no `url`.
 */

const respondSchema = z.strictObject({
  type: z.enum(['json', 'urlencoded', 'text']).optional(),
  status: z.union([z.number().int().min(100).max(599), imlString]).optional(),
  headers: z.record(z.string().min(1), imlString).optional(),
  body: imlValue.optional(),
});

export const webhookCommunicationSchema = z.strictObject({
  verification: z
    .strictObject({
      condition: z.union([z.boolean(), imlString]).optional(),
      respond: respondSchema.optional(),
    })
    .optional(),
  respond: respondSchema.optional(),
  iterate: z
    .union([
      imlExpression,
      z.strictObject({
        container: imlExpression,
        condition: z.union([z.boolean(), imlString]).optional(),
      }),
    ])
    .optional(),
  output: imlValue.optional(),
  condition: z.union([z.boolean(), imlString]).optional(),
  uid: imlString.optional(),
});

export type WebhookCommunicationSpec = z.infer<typeof webhookCommunicationSchema>;

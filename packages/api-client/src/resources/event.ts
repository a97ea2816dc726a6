import { z } from 'zod';

import { listQuerySchema, type ListQuery } from './common.js';

/** Query of `GET /v1/events`, newest first. */
export const eventListQuerySchema = listQuerySchema.extend({
  type: z
    .string()
    .max(100)
    .optional()
    .describe('Only events of this type, such as `contact.created`.'),
});

/** Query of `GET /v1/events` as the client sends it. */
export type EventListQuery = ListQuery<z.input<typeof eventListQuerySchema>>;

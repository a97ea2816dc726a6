import { z } from 'zod';

/** ISO-8601 UTC timestamp with milliseconds, the only date format the API emits (`2026-03-01T09:30:00.000Z`). */
export const timestampSchema = z.iso
  .datetime({ precision: 3 })
  .describe('ISO-8601 UTC timestamp with milliseconds.');

/** Returns the ISO-8601 UTC form with milliseconds that `timestampSchema` accepts. */
export function toTimestamp(date: Date | number = Date.now()): string {
  return new Date(date).toISOString();
}

/** Query parameters shared by every list route. */
export const listQuerySchema = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(20)
    .describe('Maximum number of items to return, 1 to 100.'),
  cursor: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe('The `next_cursor` of the previous page; omit it for the first page.'),
});

/** Wraps an item schema in the list envelope every list route returns. */
export function listSchema<T extends z.ZodType>(item: T) {
  return z.object({
    data: z.array(item),
    next_cursor: z
      .string()
      .nullable()
      .describe('Pass as `cursor` to get the next page; null on the last page.'),
  });
}

/** Client-side form of a list query: `limit` as a number (the server coerces the query string). */
export type ListQuery<T = object> = Omit<T, 'limit'> & { limit?: number; cursor?: string };

/** One page of a list route. */
export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

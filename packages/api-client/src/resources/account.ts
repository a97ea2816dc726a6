import { z } from 'zod';

import { timestampSchema } from './common.js';

/** The account (tenant) that an API key belongs to. */
export const accountSchema = z
  .object({
    id: z.string().describe('Account id, prefixed `acct_`.'),
    name: z.string().describe('Display name of the account.'),
    created_at: timestampSchema,
  })
  .meta({ id: 'Account' });

/** The account (tenant) that an API key belongs to. */
export type Account = z.infer<typeof accountSchema>;

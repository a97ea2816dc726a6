import { z } from 'zod';

import { listQuerySchema, type ListQuery, timestampSchema } from './common.js';

const emailSchema = z.email().max(254).describe('Email address, unique within the account.');
const nameSchema = z.string().trim().max(100);

/** A contact as the API returns it. */
export const contactSchema = z
  .object({
    id: z.string().describe('Contact id, prefixed `con_`.'),
    email: emailSchema,
    first_name: z.string().nullable().describe('Given name.'),
    last_name: z.string().nullable().describe('Family name.'),
    company: z.string().nullable().describe('Company the contact works for.'),
    phone: z.string().nullable().describe('Phone number as entered.'),
    tags: z.array(z.string()).describe('Free-form labels.'),
    created_at: timestampSchema,
    updated_at: timestampSchema,
  })
  .meta({ id: 'Contact' });

/** Body of `POST /v1/contacts`. */
export const contactCreateSchema = z
  .object({
    email: emailSchema,
    first_name: nameSchema.nullable().optional().describe('Given name.'),
    last_name: nameSchema.nullable().optional().describe('Family name.'),
    company: z
      .string()
      .trim()
      .max(200)
      .nullable()
      .optional()
      .describe('Company the contact works for.'),
    phone: z.string().trim().max(40).nullable().optional().describe('Phone number as entered.'),
    tags: z
      .array(z.string().trim().min(1).max(50))
      .max(20)
      .optional()
      .describe('Free-form labels, at most 20.'),
  })
  .strict()
  .meta({ id: 'ContactCreate' });

/** Body of `PATCH /v1/contacts/{id}`: every field optional, at least one present. */
export const contactUpdateSchema = contactCreateSchema
  .partial()
  .strict()
  .refine((value) => Object.keys(value).length > 0, {
    message: 'Send at least one field to change.',
  })
  .meta({ id: 'ContactUpdate' });

/** Query of `GET /v1/contacts`. */
export const contactListQuerySchema = listQuerySchema.extend({
  email: z
    .string()
    .max(254)
    .optional()
    .describe('Return only the contact with exactly this email address.'),
});

/** A contact as the API returns it. */
export type Contact = z.infer<typeof contactSchema>;
/** Body of `POST /v1/contacts`. */
export type ContactCreate = z.input<typeof contactCreateSchema>;
/** Body of `PATCH /v1/contacts/{id}`. */
export type ContactUpdate = z.input<typeof contactUpdateSchema>;
/** Query of `GET /v1/contacts` as the client sends it. */
export type ContactListQuery = ListQuery<z.input<typeof contactListQuerySchema>>;

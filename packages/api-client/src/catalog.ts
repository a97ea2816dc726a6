import { z } from 'zod';

import { timestampSchema } from './resources/common.js';
import { contactSchema } from './resources/contact.js';

/**
 * One event type: what connectors show to users, the schema of the event's `data`, and a realistic sample.
 * `description` is one sentence starting with "Occurs when"; connectors rewrite it into their own voice.
 */
export interface EventTypeDefinition<TData extends z.ZodType = z.ZodType> {
  /** Title Case label, such as "New Contact" or "Invoice Paid". */
  title: string;
  /** One sentence that starts with "Occurs when". */
  description: string;
  /** Schema of the event's `data`. */
  schema: TData;
  /** A realistic `data` value that passes `schema`. */
  sample: z.output<TData>;
}

const sampleContact = {
  id: 'con_01JD3Q8Z5V6Y7K2M4N8P0R1S3T',
  email: 'ada.lovelace@example.com',
  first_name: 'Ada',
  last_name: 'Lovelace',
  company: 'Analytical Engines Ltd',
  phone: '+44 20 7946 0958',
  tags: ['vip', 'newsletter'],
  created_at: '2026-03-02T09:14:07.512Z',
  updated_at: '2026-03-02T09:14:07.512Z',
};

const currencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/)
  .describe('ISO 4217 currency code in upper case, such as `EUR`.');
const minorUnitsSchema = z
  .number()
  .int()
  .min(0)
  .describe('Amount in the currency minor unit (cents for EUR and USD).');

const invoiceFields = {
  id: z.string().describe('Invoice id, prefixed `inv_`.'),
  number: z.string().describe('Human-readable invoice number.'),
  contact_id: z.string().describe('Id of the contact the invoice is addressed to.'),
  customer_email: z.email().describe('Email address the invoice was sent to.'),
  currency: currencySchema,
  amount_due: minorUnitsSchema,
};

/**
 * The event catalog: every event type the product sends, keyed by its `noun.verb` name. Adding an entry here is all
 * it takes to publish a new event type through the API, the OpenAPI document, the Zapier app, the n8n nodes and the
 * Make app.
 */
export const catalog = {
  'contact.created': {
    title: 'New Contact',
    description: 'Occurs when a contact is added, through the API or the app.',
    schema: contactSchema,
    sample: sampleContact,
  },
  'contact.updated': {
    title: 'Contact Updated',
    description: 'Occurs when any field of a contact changes.',
    schema: contactSchema.extend({
      previous_attributes: contactSchema
        .pick({
          email: true,
          first_name: true,
          last_name: true,
          company: true,
          phone: true,
          tags: true,
        })
        .partial()
        .describe('The changed fields with the values they had before the update.'),
    }),
    sample: {
      ...sampleContact,
      company: 'Babbage & Co',
      updated_at: '2026-03-04T16:40:21.093Z',
      previous_attributes: { company: 'Analytical Engines Ltd' },
    },
  },
  'contact.deleted': {
    title: 'Contact Deleted',
    description: 'Occurs when a contact is deleted.',
    schema: z.object({
      id: z.string().describe('Id of the deleted contact.'),
      email: z.email().describe('Email address the contact had.'),
      deleted_at: timestampSchema,
    }),
    sample: {
      id: sampleContact.id,
      email: sampleContact.email,
      deleted_at: '2026-03-09T11:02:45.330Z',
    },
  },
  'invoice.paid': {
    title: 'Invoice Paid',
    description: 'Occurs when an invoice is paid in full.',
    schema: z.object({
      ...invoiceFields,
      amount_paid: minorUnitsSchema,
      paid_at: timestampSchema,
      hosted_invoice_url: z
        .url()
        .describe('Page where the customer can view and download the invoice.'),
    }),
    sample: {
      id: 'inv_01JD3QB2C4D6E8F0G2H4J6K8M0',
      number: 'INV-2026-0042',
      contact_id: sampleContact.id,
      customer_email: sampleContact.email,
      currency: 'EUR',
      amount_due: 129900,
      amount_paid: 129900,
      paid_at: '2026-03-05T08:00:12.004Z',
      hosted_invoice_url: 'https://app.acmecrm.example/invoices/inv_01JD3QB2C4D6E8F0G2H4J6K8M0',
    },
  },
  'invoice.payment_failed': {
    title: 'Invoice Payment Failed',
    description: 'Occurs when a payment attempt for an invoice fails.',
    schema: z.object({
      ...invoiceFields,
      attempt_count: z.number().int().min(1).describe('Number of payment attempts so far.'),
      failure_code: z
        .enum(['card_declined', 'insufficient_funds', 'expired_card', 'processing_error'])
        .describe('Why the payment failed.'),
      failure_message: z.string().describe('Explanation to show the customer.'),
      next_payment_attempt_at: timestampSchema
        .nullable()
        .describe('When the next automatic attempt is scheduled; null when none is.'),
    }),
    sample: {
      id: 'inv_01JD3QC7N9P1Q3R5S7T9V1W3X5',
      number: 'INV-2026-0043',
      contact_id: sampleContact.id,
      customer_email: sampleContact.email,
      currency: 'EUR',
      amount_due: 4900,
      attempt_count: 2,
      failure_code: 'insufficient_funds',
      failure_message: 'The card has insufficient funds to complete the purchase.',
      next_payment_attempt_at: '2026-03-08T08:00:00.000Z',
    },
  },
  'report.generated': {
    title: 'Report Generated',
    description: 'Occurs when a scheduled or requested report is ready to download.',
    schema: z.object({
      id: z.string().describe('Report id, prefixed `rep_`.'),
      name: z.string().describe('Report name.'),
      format: z.enum(['csv', 'pdf', 'xlsx']).describe('File format.'),
      row_count: z.number().int().min(0).describe('Number of data rows in the report.'),
      period_start: timestampSchema.describe('Start of the period the report covers.'),
      period_end: timestampSchema.describe('End of the period the report covers.'),
      download_url: z.url().describe('Signed download link, valid until `expires_at`.'),
      expires_at: timestampSchema.describe('When the download link stops working.'),
      generated_at: timestampSchema,
    }),
    sample: {
      id: 'rep_01JD3QD1Y3Z5A7B9C1D3E5F7G9',
      name: 'Monthly revenue',
      format: 'csv',
      row_count: 318,
      period_start: '2026-02-01T00:00:00.000Z',
      period_end: '2026-03-01T00:00:00.000Z',
      download_url: 'https://app.acmecrm.example/reports/rep_01JD3QD1Y3Z5A7B9C1D3E5F7G9/download',
      expires_at: '2026-03-08T06:00:00.000Z',
      generated_at: '2026-03-01T06:00:03.871Z',
    },
  },
} as const satisfies Record<string, EventTypeDefinition>;

/** Names of all event types, in catalog order. */
export type EventType = keyof typeof catalog;

/** The `data` type of one event type. */
export type EventData<T extends EventType> = z.output<(typeof catalog)[T]['schema']>;

/** Every event type name, in catalog order. */
export const eventTypes = Object.keys(catalog) as EventType[];

/** Returns true when `value` names an event type of the catalog. */
export function isEventType(value: string): value is EventType {
  return Object.prototype.hasOwnProperty.call(catalog, value);
}

/** Returns the definition of one event type. */
export function getEventType<T extends EventType>(type: T): (typeof catalog)[T] {
  return catalog[type];
}

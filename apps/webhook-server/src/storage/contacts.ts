import {
  newId,
  type Contact,
  type contactCreateSchema,
  type contactUpdateSchema,
  type Page,
} from '@app/api-client';
import type { z } from 'zod';

import type { ContactsTable } from '../db/schema.js';
import { emitEvent, type EmittedEvent } from './events.js';
import { toIso, toPage, type Executor } from './executor.js';
import { inTransaction } from './transaction.js';
import { isUniqueViolation } from './unique-violation.js';

/** Validated body of `POST /v1/contacts`. */
export type ContactInput = z.output<typeof contactCreateSchema>;
/** Validated body of `PATCH /v1/contacts/{id}`. */
export type ContactChanges = z.output<typeof contactUpdateSchema>;

/** A stored change and the event that reports it; `event` is undefined when nothing changed. */
export interface ContactChange {
  contact: Contact;
  event: EmittedEvent | undefined;
}

/** Fields a client can change; `previous_attributes` of `contact.updated` is drawn from these. */
const MUTABLE_FIELDS = ['email', 'first_name', 'last_name', 'company', 'phone', 'tags'] as const;
type MutableField = (typeof MUTABLE_FIELDS)[number];

const EMAIL_CONSTRAINT = {
  name: 'contacts_account_email_unique',
  table: 'contacts',
  columns: ['account_id', 'email_normalized'],
};

/** Raised when another contact of the account already has the email address (compared case-insensitively). */
export class ContactEmailTakenError extends Error {
  override readonly name = 'ContactEmailTakenError';

  constructor(
    readonly email: string,
    options?: { cause?: unknown },
  ) {
    super(`another contact of the account already has the email address ${email}`, options);
  }
}

/** Returns the form under which emails are compared and looked up: trimmed and lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Creates a contact and emits `contact.created` in one transaction (the caller's, or a new one). Throws
 * `ContactEmailTakenError` when the account already has a contact with this email; nothing is stored then.
 */
export async function createContact(
  db: Executor,
  options: { accountId: string; input: ContactInput; now?: number },
): Promise<ContactChange> {
  const now = options.now ?? Date.now();
  const { input } = options;
  const row: ContactsTable = {
    id: newId('contact', now),
    account_id: options.accountId,
    email: input.email,
    email_normalized: normalizeEmail(input.email),
    first_name: input.first_name ?? null,
    last_name: input.last_name ?? null,
    company: input.company ?? null,
    phone: input.phone ?? null,
    tags: JSON.stringify(input.tags ?? []),
    created_at: now,
    updated_at: now,
  };

  return inTransaction(db, async (trx) => {
    await rethrowEmailTaken(input.email, () => trx.insertInto('contacts').values(row).execute());

    const contact = toContact(row);
    const event = await emitEvent(trx, {
      accountId: options.accountId,
      type: 'contact.created',
      data: contact,
      now,
    });
    return { contact, event };
  });
}

/** Returns one contact of the account, or undefined. */
export async function findContact(
  db: Executor,
  accountId: string,
  contactId: string,
): Promise<Contact | undefined> {
  const row = await db
    .selectFrom('contacts')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', '=', contactId)
    .executeTakeFirst();
  return row && toContact(row);
}

/**
 * Lists an account's contacts oldest first, `limit` per page, after the contact id `cursor` when it is given.
 * `email` keeps only the contact with this address, compared case-insensitively.
 */
export async function listContacts(
  db: Executor,
  options: { accountId: string; limit: number; cursor?: string; email?: string },
): Promise<Page<Contact>> {
  let query = db
    .selectFrom('contacts')
    .selectAll()
    .where('account_id', '=', options.accountId)
    .orderBy('id', 'asc')
    .limit(options.limit + 1);
  if (options.email !== undefined) {
    query = query.where('email_normalized', '=', normalizeEmail(options.email));
  }
  if (options.cursor !== undefined) {
    query = query.where('id', '>', options.cursor);
  }

  const rows = await query.execute();
  return toPage(rows, options.limit, toContact);
}

/**
 * Applies the fields present in `changes` and emits `contact.updated`, whose `previous_attributes` holds the changed
 * fields with their old values, in one transaction. When every field already has the requested value nothing is
 * written, `updated_at` stays and no event is emitted. Returns undefined when the account has no such contact;
 * throws `ContactEmailTakenError` when the new email belongs to another contact.
 */
export async function updateContact(
  db: Executor,
  options: { accountId: string; contactId: string; changes: ContactChanges; now?: number },
): Promise<ContactChange | undefined> {
  const now = options.now ?? Date.now();

  return inTransaction(db, async (trx) => {
    const row = await lockContact(trx, options.accountId, options.contactId);
    if (!row) {
      return undefined;
    }

    const current = toContact(row);
    const previous = changedFields(current, options.changes);
    if (Object.keys(previous).length === 0) {
      return { contact: current, event: undefined };
    }

    const next: Contact = {
      ...current,
      ...pickChanged(options.changes, previous),
      updated_at: toIso(now),
    };
    const update = {
      email: next.email,
      email_normalized: normalizeEmail(next.email),
      first_name: next.first_name,
      last_name: next.last_name,
      company: next.company,
      phone: next.phone,
      tags: JSON.stringify(next.tags),
      updated_at: now,
    };
    await rethrowEmailTaken(next.email, () =>
      trx
        .updateTable('contacts')
        .set(update)
        .where('account_id', '=', options.accountId)
        .where('id', '=', options.contactId)
        .execute(),
    );

    const event = await emitEvent(trx, {
      accountId: options.accountId,
      type: 'contact.updated',
      data: { ...next, previous_attributes: previous },
      now,
    });
    return { contact: next, event };
  });
}

/**
 * Deletes a contact and emits `contact.deleted` in one transaction. Returns the contact as it was, or undefined when
 * the account has no such contact.
 */
export async function deleteContact(
  db: Executor,
  options: { accountId: string; contactId: string; now?: number },
): Promise<ContactChange | undefined> {
  const now = options.now ?? Date.now();

  return inTransaction(db, async (trx) => {
    const row = await lockContact(trx, options.accountId, options.contactId);
    if (!row) {
      return undefined;
    }

    await trx
      .deleteFrom('contacts')
      .where('account_id', '=', options.accountId)
      .where('id', '=', options.contactId)
      .execute();

    const contact = toContact(row);
    const event = await emitEvent(trx, {
      accountId: options.accountId,
      type: 'contact.deleted',
      data: { id: contact.id, email: contact.email, deleted_at: toIso(now) },
      now,
    });
    return { contact, event };
  });
}

// A no-op update that returns the row takes the row lock on PostgreSQL and the write lock on SQLite before the row is
// read, so two concurrent updates of one contact cannot both read the old values; each reports the other's change
// correctly in `previous_attributes`. Both dialects support UPDATE ... RETURNING.
async function lockContact(
  db: Executor,
  accountId: string,
  contactId: string,
): Promise<ContactsTable | undefined> {
  return db
    .updateTable('contacts')
    .set((eb) => ({ updated_at: eb.ref('updated_at') }))
    .where('account_id', '=', accountId)
    .where('id', '=', contactId)
    .returningAll()
    .executeTakeFirst();
}

/** Returns the fields of `changes` whose value differs from `current`, each with its value in `current`. */
function changedFields(
  current: Contact,
  changes: ContactChanges,
): Partial<Pick<Contact, MutableField>> {
  const previous: Record<string, unknown> = {};
  for (const field of MUTABLE_FIELDS) {
    const value = changes[field];
    if (value === undefined) {
      continue;
    }
    // An absent optional field stays as it is; `null` clears it, like `[]` clears the tags.
    if (JSON.stringify(value) !== JSON.stringify(current[field])) {
      previous[field] = current[field];
    }
  }
  return previous as Partial<Pick<Contact, MutableField>>;
}

function pickChanged(
  changes: ContactChanges,
  previous: Partial<Pick<Contact, MutableField>>,
): Partial<Contact> {
  const picked: Record<string, unknown> = {};
  for (const field of Object.keys(previous) as MutableField[]) {
    picked[field] = changes[field];
  }
  return picked as Partial<Contact>;
}

async function rethrowEmailTaken<T>(email: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error, EMAIL_CONSTRAINT)) {
      throw new ContactEmailTakenError(email, { cause: error });
    }
    throw error;
  }
}

function toContact(row: ContactsTable): Contact {
  return {
    id: row.id,
    email: row.email,
    first_name: row.first_name,
    last_name: row.last_name,
    company: row.company,
    phone: row.phone,
    tags: JSON.parse(row.tags) as string[],
    created_at: toIso(row.created_at),
    updated_at: toIso(row.updated_at),
  };
}

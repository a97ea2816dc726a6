import { parseEvent, type EventEnvelope } from '@app/api-client';

import { SecretBox } from '../../src/security/secret-box.js';
import { createAccount } from '../../src/storage/accounts.js';
import {
  ContactEmailTakenError,
  createContact,
  deleteContact,
  findContact,
  listContacts,
  normalizeEmail,
  updateContact,
} from '../../src/storage/contacts.js';
import { decodeCursor } from '../../src/storage/executor.js';
import { countRows, insertEndpointRow } from '../support/api-harness.js';
import {
  createTestDatabase,
  describeEachDialect,
  type TestDatabase,
} from '../support/databases.js';
import { failInsertsInto } from '../support/forced-failure.js';

describeEachDialect('contact storage', (dialect) => {
  let database: TestDatabase;
  let accountId: string;
  let otherAccountId: string;
  const secretBox = new SecretBox(undefined);

  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    accountId = (await createAccount(database.db, 'Tenant A')).id;
    otherAccountId = (await createAccount(database.db, 'Tenant B')).id;
  });

  afterEach(async () => {
    await database.dispose();
  });

  async function storedEvents(account = accountId): Promise<EventEnvelope[]> {
    const rows = await database.db
      .selectFrom('events')
      .select('payload')
      .where('account_id', '=', account)
      .orderBy('id')
      .execute();
    return rows.map((row) => parseEvent(JSON.parse(row.payload)));
  }

  // Ids made in the same millisecond sort in random order, so tests pick events by type, not by position.
  async function storedEvent(type: string): Promise<EventEnvelope | undefined> {
    const matching = (await storedEvents()).filter((event) => event.event_type === type);
    expect(matching).toHaveLength(1);
    return matching[0];
  }

  test('create stores contact and contact.created event', async () => {
    const { contact, event } = await createContact(database.db, {
      accountId,
      input: { email: 'Ada@Example.com', first_name: 'Ada', tags: ['vip'] },
    });

    expect(contact).toMatchObject({
      email: 'Ada@Example.com',
      first_name: 'Ada',
      last_name: null,
      company: null,
      phone: null,
      tags: ['vip'],
    });
    expect(contact.id).toMatch(/^con_[0-9A-Z]{26}$/);
    expect(contact.created_at).toBe(contact.updated_at);
    expect(await findContact(database.db, accountId, contact.id)).toEqual(contact);

    const events = await storedEvents();
    expect(events).toHaveLength(1);
    expect(events[0]?.event_type).toBe('contact.created');
    expect(events[0]?.event_id).toBe(event?.envelope.event_id);
    expect(events[0]?.data).toEqual(contact);
  });

  test('create fans out to subscribed enabled endpoints', async () => {
    await insertEndpointRow(
      { database, secretBox },
      { accountId, id: 'ep_ALLTYPES', eventTypes: null },
    );
    await insertEndpointRow(
      { database, secretBox },
      { accountId, id: 'ep_CONTACTS', eventTypes: ['contact.created'] },
    );
    await insertEndpointRow(
      { database, secretBox },
      { accountId, id: 'ep_INVOICES', eventTypes: ['invoice.paid'] },
    );
    await insertEndpointRow(
      { database, secretBox },
      { accountId: otherAccountId, id: 'ep_OTHER', eventTypes: null },
    );

    const { event } = await createContact(database.db, {
      accountId,
      input: { email: 'fan@example.com' },
    });

    const deliveries = await database.db
      .selectFrom('deliveries')
      .select(['endpoint_id', 'event_id', 'status', 'account_id'])
      .orderBy('endpoint_id')
      .execute();
    expect(deliveries.map((delivery) => delivery.endpoint_id)).toEqual([
      'ep_ALLTYPES',
      'ep_CONTACTS',
    ]);
    expect(new Set(deliveries.map((delivery) => delivery.event_id))).toEqual(
      new Set([event?.envelope.event_id]),
    );
    expect(deliveries.every((delivery) => delivery.status === 'pending')).toBe(true);
    expect(event?.deliveryIds).toHaveLength(2);
  });

  test('duplicate email differing in case is rejected', async () => {
    await insertEndpointRow({ database, secretBox }, { accountId, id: 'ep_ALLTYPES' });
    await createContact(database.db, { accountId, input: { email: 'ada@example.com' } });
    const before = await countRows(database, accountId);

    const attempt = createContact(database.db, {
      accountId,
      input: { email: 'ADA@example.COM', first_name: 'Twin' },
    });

    await expect(attempt).rejects.toBeInstanceOf(ContactEmailTakenError);
    expect(await countRows(database, accountId)).toEqual(before);
    expect(before).toEqual({ contacts: 1, events: 1, deliveries: 1 });
  });

  test('same email in another account is allowed', async () => {
    await createContact(database.db, { accountId, input: { email: 'shared@example.com' } });

    const { contact } = await createContact(database.db, {
      accountId: otherAccountId,
      input: { email: 'shared@example.com' },
    });

    expect(contact.email).toBe('shared@example.com');
    expect(await storedEvents(otherAccountId)).toHaveLength(1);
  });

  test('forced failure inside transaction leaves nothing', async () => {
    await insertEndpointRow({ database, secretBox }, { accountId, id: 'ep_ALLTYPES' });
    const restore = await failInsertsInto(database, 'deliveries');

    const outcome = await createContact(database.db, {
      accountId,
      input: { email: 'gone@example.com' },
    }).then(
      (change) => ({ stored: change.event?.deliveryIds ?? [] }),
      (error: unknown) => ({ error: String(error) }),
    );

    expect(outcome).toEqual({ error: expect.stringMatching(/forced failure/) });

    expect(await countRows(database, accountId)).toEqual({ contacts: 0, events: 0, deliveries: 0 });
    await restore();
    const retried = await createContact(database.db, {
      accountId,
      input: { email: 'gone@example.com' },
    });
    expect(retried.event?.deliveryIds).toHaveLength(1);
  });

  test('caller transaction rollback undoes create', async () => {
    const failure = new Error('caller failed after the create');

    const attempt = database.db.transaction().execute(async (trx) => {
      await createContact(trx, { accountId, input: { email: 'rolled@example.com' } });
      throw failure;
    });

    await expect(attempt).rejects.toBe(failure);
    expect(await countRows(database, accountId)).toEqual({ contacts: 0, events: 0, deliveries: 0 });
  });

  test('update reports only changed fields', async () => {
    const { contact } = await createContact(database.db, {
      accountId,
      input: { email: 'ada@example.com', first_name: 'Ada', company: 'Engines', tags: ['a'] },
      now: Date.parse('2026-01-01T00:00:00.000Z'),
    });

    const change = await updateContact(database.db, {
      accountId,
      contactId: contact.id,
      changes: { first_name: 'Ada', company: 'Babbage & Co', phone: null, tags: ['a', 'b'] },
      now: Date.parse('2026-01-02T00:00:00.000Z'),
    });

    expect(change?.contact).toEqual({
      ...contact,
      company: 'Babbage & Co',
      tags: ['a', 'b'],
      updated_at: '2026-01-02T00:00:00.000Z',
    });
    const updated = await storedEvent('contact.updated');
    expect(updated?.data).toEqual({
      ...change?.contact,
      previous_attributes: { company: 'Engines', tags: ['a'] },
    });
    expect(await findContact(database.db, accountId, contact.id)).toEqual(change?.contact);
  });

  test('update with null clears field', async () => {
    const { contact } = await createContact(database.db, {
      accountId,
      input: { email: 'ada@example.com', phone: '+44 20 7946 0958' },
    });

    const change = await updateContact(database.db, {
      accountId,
      contactId: contact.id,
      changes: { phone: null },
    });

    expect(change?.contact.phone).toBeNull();
    expect((await storedEvent('contact.updated'))?.data).toMatchObject({
      phone: null,
      previous_attributes: { phone: '+44 20 7946 0958' },
    });
  });

  test('update changing nothing emits no event', async () => {
    const { contact } = await createContact(database.db, {
      accountId,
      input: { email: 'ada@example.com', first_name: 'Ada', tags: ['x'] },
    });

    const change = await updateContact(database.db, {
      accountId,
      contactId: contact.id,
      changes: { email: 'ada@example.com', first_name: 'Ada', tags: ['x'] },
      now: Date.now() + 60_000,
    });

    expect(change?.event).toBeUndefined();
    expect(change?.contact).toEqual(contact);
    expect(await findContact(database.db, accountId, contact.id)).toEqual(contact);
    expect(await storedEvents()).toHaveLength(1);
  });

  test('update email to a taken one changes nothing', async () => {
    await createContact(database.db, { accountId, input: { email: 'first@example.com' } });
    const { contact } = await createContact(database.db, {
      accountId,
      input: { email: 'second@example.com' },
    });

    const attempt = updateContact(database.db, {
      accountId,
      contactId: contact.id,
      changes: { email: 'FIRST@example.com', first_name: 'Changed' },
    });

    await expect(attempt).rejects.toBeInstanceOf(ContactEmailTakenError);
    expect(await findContact(database.db, accountId, contact.id)).toEqual(contact);
    expect(await storedEvents()).toHaveLength(2);
  });

  test('update changing only email case emits event', async () => {
    const { contact } = await createContact(database.db, {
      accountId,
      input: { email: 'ada@example.com' },
    });

    const change = await updateContact(database.db, {
      accountId,
      contactId: contact.id,
      changes: { email: 'Ada@Example.com' },
    });

    expect(change?.contact.email).toBe('Ada@Example.com');
    expect((await storedEvent('contact.updated'))?.data).toMatchObject({
      previous_attributes: { email: 'ada@example.com' },
    });
  });

  test('update and delete of another account contact find nothing', async () => {
    const { contact } = await createContact(database.db, {
      accountId,
      input: { email: 'mine@example.com' },
    });

    expect(
      await updateContact(database.db, {
        accountId: otherAccountId,
        contactId: contact.id,
        changes: { first_name: 'Stolen' },
      }),
    ).toBeUndefined();
    expect(
      await deleteContact(database.db, { accountId: otherAccountId, contactId: contact.id }),
    ).toBeUndefined();
    expect(await findContact(database.db, otherAccountId, contact.id)).toBeUndefined();
    expect(await findContact(database.db, accountId, contact.id)).toEqual(contact);
    expect(await storedEvents(otherAccountId)).toHaveLength(0);
  });

  test('delete removes contact and emits contact.deleted', async () => {
    const { contact } = await createContact(database.db, {
      accountId,
      input: { email: 'bye@example.com' },
      now: Date.parse('2026-01-01T10:00:00.000Z'),
    });

    const change = await deleteContact(database.db, {
      accountId,
      contactId: contact.id,
      now: Date.parse('2026-02-01T10:00:00.000Z'),
    });

    expect(change?.contact).toEqual(contact);
    expect(await findContact(database.db, accountId, contact.id)).toBeUndefined();
    const deleted = await storedEvent('contact.deleted');
    expect(deleted?.data).toEqual({
      id: contact.id,
      email: 'bye@example.com',
      deleted_at: '2026-02-01T10:00:00.000Z',
    });
    expect(await deleteContact(database.db, { accountId, contactId: contact.id })).toBeUndefined();
  });

  test('list pages oldest first with cursor', async () => {
    const created = [];
    for (let index = 0; index < 5; index += 1) {
      const { contact } = await createContact(database.db, {
        accountId,
        input: { email: `c${index}@example.com` },
        now: 1_700_000_000_000 + index,
      });
      created.push(contact.id);
    }
    await createContact(database.db, {
      accountId: otherAccountId,
      input: { email: 'other@example.com' },
    });

    const first = await listContacts(database.db, { accountId, limit: 2 });
    const cursor = decodeCursor(first.next_cursor ?? '');
    const second = await listContacts(database.db, {
      accountId,
      limit: 2,
      ...(cursor ? { cursor } : {}),
    });
    const cursor2 = decodeCursor(second.next_cursor ?? '');
    const third = await listContacts(database.db, {
      accountId,
      limit: 2,
      ...(cursor2 ? { cursor: cursor2 } : {}),
    });

    expect(first.data.map((contact) => contact.id)).toEqual(created.slice(0, 2));
    expect(second.data.map((contact) => contact.id)).toEqual(created.slice(2, 4));
    expect(third.data.map((contact) => contact.id)).toEqual(created.slice(4));
    expect(third.next_cursor).toBeNull();
  });

  test('list filters by email ignoring case', async () => {
    await createContact(database.db, { accountId, input: { email: 'Grace@Example.com' } });
    await createContact(database.db, { accountId, input: { email: 'other@example.com' } });
    await createContact(database.db, {
      accountId: otherAccountId,
      input: { email: 'grace@example.com' },
    });

    const page = await listContacts(database.db, {
      accountId,
      limit: 10,
      email: 'GRACE@example.COM',
    });

    expect(page.data.map((contact) => contact.email)).toEqual(['Grace@Example.com']);
    expect(page.next_cursor).toBeNull();
  });

  test('concurrent updates report each other in previous_attributes', async () => {
    const { contact } = await createContact(database.db, {
      accountId,
      input: { email: 'race@example.com' },
    });

    await Promise.all(
      ['One', 'Two', 'Three'].map((company) =>
        updateContact(database.db, { accountId, contactId: contact.id, changes: { company } }),
      ),
    );

    const updates = (await storedEvents()).filter(
      (event) => event.event_type === 'contact.updated',
    );
    const successor = new Map<string | null, string | null>();
    for (const event of updates) {
      const data = event.data as {
        company: string | null;
        previous_attributes: { company: string | null };
      };
      successor.set(data.previous_attributes.company, data.company);
    }
    // Each update saw the value the one before it wrote, so the updates form one chain from null through every value.
    const chain: (string | null)[] = [];
    for (let value = successor.get(null); value !== undefined; value = successor.get(value)) {
      chain.push(value);
    }
    expect(updates).toHaveLength(3);
    expect([...chain].sort()).toEqual(['One', 'Three', 'Two']);
  });
});

describe('normalizeEmail', () => {
  test('lower-cases and trims', () => {
    expect(normalizeEmail('  Ada@Example.COM ')).toBe('ada@example.com');
  });
});

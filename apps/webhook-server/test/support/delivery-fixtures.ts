import { generateSecret } from '@app/api-client';

import type { DatabaseHandle } from '../../src/db/connect.js';
import { SecretBox } from '../../src/security/secret-box.js';
import { createAccount } from '../../src/storage/accounts.js';
import { createEndpoint, type EndpointRow } from '../../src/storage/endpoints.js';
import { emitEvent } from '../../src/storage/events.js';

/** Secret box with a fixed test key. */
export const testSecretBox = new SecretBox(Buffer.alloc(32, 7));

export const SAMPLE_CONTACT = {
  id: 'con_01JD3Q8Z5V6Y7K2M4N8P0R1S3T',
  email: 'ada@example.com',
  first_name: 'Ada',
  last_name: null,
  company: null,
  phone: null,
  tags: [],
  created_at: '2026-03-02T09:14:07.512Z',
  updated_at: '2026-03-02T09:14:07.512Z',
};

/** Creates an account and returns its id. */
export async function seedAccount(database: DatabaseHandle): Promise<string> {
  return (await createAccount(database.db, 'Fixture account')).id;
}

/** Creates an endpoint directly in storage (no URL policy) and returns its row and plaintext secret. */
export async function seedEndpoint(
  database: DatabaseHandle,
  accountId: string,
  url: string,
  now?: number,
): Promise<{ endpoint: EndpointRow; secret: string }> {
  const secret = generateSecret();
  const endpoint = await createEndpoint(database.db, {
    accountId,
    url,
    eventTypes: null,
    description: '',
    sealSecret: (id) => testSecretBox.encrypt(secret, id),
    ...(now === undefined ? {} : { now }),
  });
  return { endpoint, secret };
}

/** Emits `count` contact.created events to every endpoint of the account; returns the delivery ids in order. */
export async function seedDeliveries(
  database: DatabaseHandle,
  accountId: string,
  count: number,
  now?: number,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const emitted = await database.db.transaction().execute((trx) =>
      emitEvent(trx, {
        accountId,
        type: 'contact.created',
        data: SAMPLE_CONTACT,
        ...(now === undefined ? {} : { now: now + i }),
      }),
    );
    ids.push(...emitted.deliveryIds);
  }
  return ids;
}

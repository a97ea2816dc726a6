import {
  verify,
  type Contact,
  type Delivery,
  type EndpointWithSecret,
  type EventEnvelope,
} from '@app/api-client';

import type { GatedReceiver } from './gated-receiver.js';
import type { RecordingClient } from './recording-client.js';

/** Inputs of the scenario besides the client. */
export interface ScenarioContext {
  receiver: GatedReceiver;
  /** Data of the `invoice.paid` event the scenario publishes. */
  invoicePaidData: Record<string, unknown>;
}

// Well-formed ids that no server creates: their ULID time is 0 (1970).
const UNKNOWN_CONTACT_ID = 'con_00000000000000000000000000';

const ATTEMPT_POLL_INTERVAL_MS = 100;
const ATTEMPT_POLL_LIMIT = 100;

/**
 * Runs the scripted requests in order. Requests that change nothing come first where they can, and the endpoint is
 * created after the last contact change, so the only delivery is the test delivery and every run records the same
 * set of resources.
 */
export async function runScenario(
  client: RecordingClient,
  context: ScenarioContext,
): Promise<void> {
  await client.record({
    name: 'account-get',
    method: 'GET',
    path: '/account',
    expectedStatus: 200,
  });
  await client.record({
    name: 'account-get-missing-api-key',
    method: 'GET',
    path: '/account',
    withApiKey: false,
    expectedStatus: 401,
  });
  await client.record({
    name: 'event-types-list',
    method: 'GET',
    path: '/event-types',
    expectedStatus: 200,
  });

  await recordContacts(client);
  await recordEvents(client, context);
  await recordEndpointsAndDeliveries(client, context);
}

async function recordContacts(client: RecordingClient): Promise<void> {
  const create = {
    method: 'POST',
    path: '/contacts',
    body: {
      email: 'grace.hopper@example.org',
      first_name: 'Grace',
      last_name: 'Hopper',
      company: 'Eckert-Mauchly',
      tags: ['navy', 'cobol'],
    },
    idempotencyKey: 'record-responses-contact-create',
    expectedStatus: 201,
  } as const;
  const contact = await client.record<Contact>({ name: 'contacts-create', ...create });
  await client.record({ name: 'contacts-create-replayed', ...create });

  await client.record({
    name: 'contacts-create-duplicate-email',
    method: 'POST',
    path: '/contacts',
    body: { email: create.body.email },
    expectedStatus: 409,
  });
  await client.record({
    name: 'contacts-create-invalid-email',
    method: 'POST',
    path: '/contacts',
    body: { email: 'not-an-email' },
    expectedStatus: 422,
  });

  await client.record({
    name: 'contacts-get',
    method: 'GET',
    path: `/contacts/${contact.id}`,
    expectedStatus: 200,
  });
  await client.record({
    name: 'contacts-get-unknown-id',
    method: 'GET',
    path: `/contacts/${UNKNOWN_CONTACT_ID}`,
    expectedStatus: 404,
  });
  await client.record({
    name: 'contacts-list',
    method: 'GET',
    path: `/contacts?email=${encodeURIComponent(contact.email)}`,
    expectedStatus: 200,
  });
  await client.record({
    name: 'contacts-update',
    method: 'PATCH',
    path: `/contacts/${contact.id}`,
    body: { company: 'US Navy', phone: '+1 202 555 0143' },
    expectedStatus: 200,
  });
  await client.record({
    name: 'contacts-delete',
    method: 'DELETE',
    path: `/contacts/${contact.id}`,
    expectedStatus: 204,
  });
}

async function recordEvents(client: RecordingClient, context: ScenarioContext): Promise<void> {
  const event = await client.record<EventEnvelope>({
    name: 'events-publish',
    method: 'POST',
    path: '/events',
    body: { event_type: 'invoice.paid', data: context.invoicePaidData },
    expectedStatus: 201,
  });

  // Four events exist by now (contact created, updated, deleted, invoice paid), so a limit of 2 returns a cursor.
  await client.record({
    name: 'events-list',
    method: 'GET',
    path: '/events?limit=2',
    expectedStatus: 200,
  });
  await client.record({
    name: 'events-get',
    method: 'GET',
    path: `/events/${event.event_id}`,
    expectedStatus: 200,
  });
}

async function recordEndpointsAndDeliveries(
  client: RecordingClient,
  context: ScenarioContext,
): Promise<void> {
  const endpoint = await client.record<EndpointWithSecret>({
    name: 'endpoints-create',
    method: 'POST',
    path: '/endpoints',
    body: {
      url: `${context.receiver.origin}/webhooks`,
      event_types: ['contact.created', 'contact.updated'],
      description: 'CRM sync',
    },
    expectedStatus: 201,
  });
  await client.record({
    name: 'endpoints-list',
    method: 'GET',
    path: '/endpoints',
    expectedStatus: 200,
  });
  await client.record({
    name: 'endpoints-get',
    method: 'GET',
    path: `/endpoints/${endpoint.id}`,
    expectedStatus: 200,
  });
  await client.record({
    name: 'endpoints-update',
    method: 'PATCH',
    path: `/endpoints/${endpoint.id}`,
    body: { description: 'CRM sync (all contact events)', event_types: null },
    expectedStatus: 200,
  });

  const delivery = await client.record<Delivery>({
    name: 'endpoints-test',
    method: 'POST',
    path: `/endpoints/${endpoint.id}/test`,
    body: { event_type: 'contact.created' },
    expectedStatus: 201,
  });
  context.receiver.release();
  await waitForFirstAttempt(client, delivery.id);
  checkSignature(context.receiver, endpoint.secret);

  await client.record({
    name: 'deliveries-get',
    method: 'GET',
    path: `/deliveries/${delivery.id}`,
    expectedStatus: 200,
  });
  await client.record({
    name: 'deliveries-list',
    method: 'GET',
    path: `/deliveries?endpoint_id=${endpoint.id}`,
    expectedStatus: 200,
  });

  await client.record({
    name: 'endpoints-rotate-secret',
    method: 'POST',
    path: `/endpoints/${endpoint.id}/rotate-secret`,
    expectedStatus: 200,
  });
  await client.record({
    name: 'endpoints-get-secret',
    method: 'GET',
    path: `/endpoints/${endpoint.id}/secret`,
    expectedStatus: 200,
  });
  await client.record({
    name: 'endpoints-delete',
    method: 'DELETE',
    path: `/endpoints/${endpoint.id}`,
    expectedStatus: 204,
  });
  await client.record({
    name: 'endpoints-delete-again',
    method: 'DELETE',
    path: `/endpoints/${endpoint.id}`,
    expectedStatus: 404,
  });
}

// Polls without recording until the first attempt is stored and the delivery has left `pending`.
async function waitForFirstAttempt(client: RecordingClient, deliveryId: string): Promise<void> {
  for (let poll = 0; poll < ATTEMPT_POLL_LIMIT; poll += 1) {
    const delivery = await client.get<Delivery>(`/deliveries/${deliveryId}`);
    if (delivery.attempts.length > 0 && delivery.status !== 'pending') {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, ATTEMPT_POLL_INTERVAL_MS));
  }
  throw new Error(
    `delivery ${deliveryId} has no finished attempt after ${ATTEMPT_POLL_LIMIT} polls ` +
      `${ATTEMPT_POLL_INTERVAL_MS} ms apart; check that the dispatcher reaches the local receiver`,
  );
}

// A recording of a delivery whose webhook does not verify would document a broken server.
function checkSignature(receiver: GatedReceiver, secret: string): void {
  const webhook = receiver.received[0];
  if (webhook === undefined) {
    throw new Error('the receiver got no webhook although the delivery has an attempt');
  }
  verify(webhook.body, webhook.headers, secret);
}

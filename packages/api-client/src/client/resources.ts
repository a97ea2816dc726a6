import type { EventType } from '../catalog.js';
import type { EventEnvelope, EventPublish } from '../envelope.js';
import type { EventTypeDescription } from '../json-schema.js';
import type { Account } from '../resources/account.js';
import type { ListQuery, Page } from '../resources/common.js';
import type {
  Contact,
  ContactCreate,
  ContactListQuery,
  ContactUpdate,
} from '../resources/contact.js';
import type { Delivery, DeliveryListQuery } from '../resources/delivery.js';
import type {
  Endpoint,
  EndpointCreate,
  EndpointUpdate,
  EndpointWithSecret,
  ResendFailedResult,
} from '../resources/endpoint.js';
import type { EventListQuery } from '../resources/event.js';
import type { RequestOptions, Transport } from './transport.js';

// Every caller is an async method, so this TypeError reaches the caller as a rejected promise, like any API failure.
function id(value: string): string {
  if (!value) {
    throw new TypeError('id must be a non-empty string');
  }
  return encodeURIComponent(value);
}

/**
 * Yields every item of a list route, following `next_cursor` page by page until it is null. Throws an `Error` when a
 * page returns the cursor that requested it, which would otherwise loop forever.
 */
export async function* paginate<T, Q extends ListQuery>(
  list: (query: Q) => Promise<Page<T>>,
  query: Q,
): AsyncGenerator<T> {
  let cursor = query.cursor;
  do {
    const page = await list({ ...query, cursor });
    yield* page.data;

    const next = page.next_cursor ?? undefined;
    if (next !== undefined && next === cursor) {
      throw new Error(
        `list returned next_cursor "${next}" for the page it requested; stopping to avoid a loop`,
      );
    }
    cursor = next;
  } while (cursor);
}

/** `GET /v1/account`. */
export class AccountResource {
  constructor(private readonly transport: Transport) {}

  /** Returns the account of the API key; the cheapest way to test a key. */
  async get(options?: RequestOptions): Promise<Account> {
    return this.transport.request({ method: 'GET', path: '/account', options });
  }
}

/** `GET /v1/event-types`. */
export class EventTypesResource {
  constructor(private readonly transport: Transport) {}

  /** Lists the catalog with JSON Schemas and samples. */
  async list(options?: RequestOptions): Promise<EventTypeDescription[]> {
    const page = await this.transport.request<{ data: EventTypeDescription[] }>({
      method: 'GET',
      path: '/event-types',
      options,
    });
    return page.data;
  }
}

/** `/v1/events`: publish and look up events. */
export class EventsResource {
  constructor(private readonly transport: Transport) {}

  /** Publishes an event; the server validates `data` against the event type's schema. */
  publish<T extends EventType>(
    body: EventPublish & { event_type: T },
    options?: RequestOptions,
  ): Promise<EventEnvelope<T>> {
    return this.transport.request({ method: 'POST', path: '/events', body, options });
  }

  /** Lists events newest first, optionally of one type. */
  async list(query: EventListQuery = {}, options?: RequestOptions): Promise<Page<EventEnvelope>> {
    return this.transport.request({ method: 'GET', path: '/events', query, options });
  }

  /** Returns one event; rejects with a 404 `ApiError` when there is none. */
  async get(eventId: string, options?: RequestOptions): Promise<EventEnvelope> {
    return this.transport.request({ method: 'GET', path: `/events/${id(eventId)}`, options });
  }
}

/** `/v1/contacts`. */
export class ContactsResource {
  constructor(private readonly transport: Transport) {}

  /** Creates a contact; the POST carries an `Idempotency-Key`, so a retry never creates a second one. */
  async create(body: ContactCreate, options?: RequestOptions): Promise<Contact> {
    return this.transport.request({ method: 'POST', path: '/contacts', body, options });
  }

  /** Returns one contact; rejects with a 404 `ApiError` when there is none. */
  async get(contactId: string, options?: RequestOptions): Promise<Contact> {
    return this.transport.request({ method: 'GET', path: `/contacts/${id(contactId)}`, options });
  }

  /** Lists one page of contacts; use `paginate` to walk every page. */
  async list(query: ContactListQuery = {}, options?: RequestOptions): Promise<Page<Contact>> {
    return this.transport.request({ method: 'GET', path: '/contacts', query, options });
  }

  /** Returns the contact with exactly this email address, or null when there is none. */
  async findByEmail(email: string, options?: RequestOptions): Promise<Contact | null> {
    const page = await this.list({ email, limit: 1 }, options);
    return page.data[0] ?? null;
  }

  /** Changes the fields present in `body` and returns the updated contact. */
  async update(contactId: string, body: ContactUpdate, options?: RequestOptions): Promise<Contact> {
    return this.transport.request({
      method: 'PATCH',
      path: `/contacts/${id(contactId)}`,
      body,
      options,
    });
  }

  /** Deletes a contact; resolves with no value on 204. */
  async delete(contactId: string, options?: RequestOptions): Promise<void> {
    await this.transport.request({ method: 'DELETE', path: `/contacts/${id(contactId)}`, options });
  }
}

/** `/v1/endpoints`: webhook subscriptions, also the REST-hook subscribe and unsubscribe API. */
export class EndpointsResource {
  constructor(private readonly transport: Transport) {}

  /** Creates an endpoint; the response is the only place besides `getSecret` that carries the secret. */
  async create(body: EndpointCreate, options?: RequestOptions): Promise<EndpointWithSecret> {
    return this.transport.request({ method: 'POST', path: '/endpoints', body, options });
  }

  /** Lists one page of endpoints, without their secrets. */
  async list(query: ListQuery = {}, options?: RequestOptions): Promise<Page<Endpoint>> {
    return this.transport.request({ method: 'GET', path: '/endpoints', query, options });
  }

  /** Returns one endpoint, without its secret; rejects with a 404 `ApiError` when there is none. */
  async get(endpointId: string, options?: RequestOptions): Promise<Endpoint> {
    return this.transport.request({ method: 'GET', path: `/endpoints/${id(endpointId)}`, options });
  }

  /** Changes the fields present in `body`, including `enabled` to pause or resume the endpoint. */
  async update(
    endpointId: string,
    body: EndpointUpdate,
    options?: RequestOptions,
  ): Promise<Endpoint> {
    return this.transport.request({
      method: 'PATCH',
      path: `/endpoints/${id(endpointId)}`,
      body,
      options,
    });
  }

  /** Deletes an endpoint. A second delete rejects with a 404 `ApiError`, which callers may treat as done. */
  async delete(endpointId: string, options?: RequestOptions): Promise<void> {
    await this.transport.request({
      method: 'DELETE',
      path: `/endpoints/${id(endpointId)}`,
      options,
    });
  }

  /** Sends the catalog sample of `eventType` to the endpoint as a signed test delivery. */
  async sendTest(
    endpointId: string,
    eventType: EventType,
    options?: RequestOptions,
  ): Promise<Delivery> {
    return this.transport.request({
      method: 'POST',
      path: `/endpoints/${id(endpointId)}/test`,
      body: { event_type: eventType },
      options,
    });
  }

  /** Replaces the secret; the old one keeps signing alongside the new one for 24 hours. */
  async rotateSecret(endpointId: string, options?: RequestOptions): Promise<EndpointWithSecret> {
    return this.transport.request({
      method: 'POST',
      path: `/endpoints/${id(endpointId)}/rotate-secret`,
      options,
    });
  }

  /** Returns the current signing secret. */
  async getSecret(endpointId: string, options?: RequestOptions): Promise<string> {
    const result = await this.transport.request<{ secret: string }>({
      method: 'GET',
      path: `/endpoints/${id(endpointId)}/secret`,
      options,
    });
    return result.secret;
  }

  /** Schedules every failed delivery of the endpoint created at or after `since` again. */
  async resendFailed(
    endpointId: string,
    since: string,
    options?: RequestOptions,
  ): Promise<ResendFailedResult> {
    return this.transport.request({
      method: 'POST',
      path: `/endpoints/${id(endpointId)}/resend-failed`,
      body: { since },
      options,
    });
  }
}

/** `/v1/deliveries`: the delivery log. */
export class DeliveriesResource {
  constructor(private readonly transport: Transport) {}

  /** Lists one page of deliveries, optionally filtered by endpoint, event or status. */
  async list(query: DeliveryListQuery = {}, options?: RequestOptions): Promise<Page<Delivery>> {
    return this.transport.request({ method: 'GET', path: '/deliveries', query, options });
  }

  /** Returns one delivery with every attempt. */
  async get(deliveryId: string, options?: RequestOptions): Promise<Delivery> {
    return this.transport.request({
      method: 'GET',
      path: `/deliveries/${id(deliveryId)}`,
      options,
    });
  }

  /** Sends the delivery again now, with the same `webhook-id`. */
  async redeliver(deliveryId: string, options?: RequestOptions): Promise<Delivery> {
    return this.transport.request({
      method: 'POST',
      path: `/deliveries/${id(deliveryId)}/redeliver`,
      options,
    });
  }
}

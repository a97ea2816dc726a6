import {
  AccountResource,
  ContactsResource,
  DeliveriesResource,
  EndpointsResource,
  EventsResource,
  EventTypesResource,
} from './resources.js';
import { Transport, type ClientOptions } from './transport.js';

/**
 * Typed client of the `/v1` API. Retries, timeouts and idempotency keys are handled by `Transport`; see its
 * contract for what is retried and what throws.
 */
export class ApiClient {
  /** `GET /v1/account`. */
  readonly account: AccountResource;
  /** `GET /v1/event-types`: the catalog. */
  readonly eventTypes: EventTypesResource;
  /** `/v1/events`. */
  readonly events: EventsResource;
  /** `/v1/contacts`. */
  readonly contacts: ContactsResource;
  /** `/v1/endpoints`: webhook subscriptions. */
  readonly endpoints: EndpointsResource;
  /** `/v1/deliveries`: the delivery log. */
  readonly deliveries: DeliveriesResource;

  /** Throws a `TypeError` when `apiKey` is empty and a `RangeError` when a number option is out of range. */
  constructor(options: ClientOptions) {
    const transport = new Transport(options);
    this.account = new AccountResource(transport);
    this.eventTypes = new EventTypesResource(transport);
    this.events = new EventsResource(transport);
    this.contacts = new ContactsResource(transport);
    this.endpoints = new EndpointsResource(transport);
    this.deliveries = new DeliveriesResource(transport);
  }
}

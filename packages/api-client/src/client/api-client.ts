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
  readonly account: AccountResource;
  readonly eventTypes: EventTypesResource;
  readonly events: EventsResource;
  readonly contacts: ContactsResource;
  readonly endpoints: EndpointsResource;
  readonly deliveries: DeliveriesResource;

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

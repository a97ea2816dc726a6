export { brand, type Brand } from './brand.js';
export {
  catalog,
  eventTypes,
  getEventType,
  isEventType,
  type EventData,
  type EventType,
  type EventTypeDefinition,
} from './catalog.js';
export {
  createEvent,
  eventEnvelopeSchema,
  eventPublishSchema,
  isEventId,
  parseEvent,
  sampleEvent,
  type CreateEventOptions,
  type EventEnvelope,
  type EventPublish,
} from './envelope.js';
export { idPrefixes, isId, newId, type IdKind } from './ids.js';
export {
  describeEventTypes,
  eventDataJsonSchema,
  eventTypeDescriptionSchema,
  toJsonSchema,
  type EventTypeDescription,
  type JsonSchema,
} from './json-schema.js';

export * from './resources/account.js';
export * from './resources/common.js';
export * from './resources/contact.js';
export * from './resources/delivery.js';
export * from './resources/endpoint.js';
export * from './resources/event.js';
export * from './resources/problem.js';

export { WebhookVerificationError, type WebhookVerificationReason } from './webhooks/errors.js';
export { readHeader, webhookHeaderNames, type HeaderSource } from './webhooks/headers.js';
export { decodeSecret, generateSecret, SECRET_PREFIX } from './webhooks/secret.js';
export { sign, signatureHeaders, type SignInput, type WebhookHeaders } from './webhooks/sign.js';
export {
  DEFAULT_TOLERANCE_SECONDS,
  verify,
  verifySignature,
  type VerifyOptions,
} from './webhooks/verify.js';

export { ApiClient } from './client/api-client.js';
export { ApiConnectionError, ApiError } from './client/errors.js';
export {
  AccountResource,
  ContactsResource,
  DeliveriesResource,
  EndpointsResource,
  EventsResource,
  EventTypesResource,
  paginate,
} from './client/resources.js';
export {
  parseRetryAfter,
  Transport,
  type ApiRequest,
  type ClientOptions,
  type RequestOptions,
} from './client/transport.js';

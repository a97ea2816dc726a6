import {
  contactListQuerySchema,
  deliveryListQuerySchema,
  endpointListQuerySchema,
  eventListQuerySchema,
} from '@app/api-client';
import type { z } from 'zod';

/** HTTP method of an operation, lower case as OpenAPI path items name them. */
export type HttpMethod = 'get' | 'post' | 'patch' | 'delete';

/** An error response an operation can return, beyond the ones every operation of its kind can return. */
export interface ErrorResponse {
  status: 409 | 422;
  /** When this error happens and which `code` it carries. */
  description: string;
}

/** One route of the API as the OpenAPI document describes it. */
export interface Operation {
  method: HttpMethod;
  /** OpenAPI path template, such as `/v1/contacts/{id}`. */
  path: string;
  operationId: string;
  tag: 'Account' | 'Event types' | 'Events' | 'Contacts' | 'Endpoints' | 'Deliveries' | 'Service';
  summary: string;
  description?: string;
  /** False for the routes that need no API key. */
  authenticated: boolean;
  /** Description of the `{id}` path parameter, for routes that have one. */
  idParameter?: string;
  /** Query parameters, from the zod schema the route parses them with. */
  query?: z.ZodObject;
  /** Component name of the JSON request body. */
  requestBody?: string;
  success: { status: 200 | 201 | 202 | 204; description: string; schema?: string };
  /** Other responses with a body of their own, such as 503 of the readiness probe. */
  otherResponses?: { status: number; description: string; schema: string }[];
  errors?: ErrorResponse[];
}

/**
 * Every route the server registers. The tests compare this list with the routes Fastify has, in both directions, so
 * a route added to the server without a line here, or the reverse, fails the tests.
 */
export const operations: Operation[] = [
  {
    method: 'get',
    path: '/healthz',
    operationId: 'getHealth',
    tag: 'Service',
    summary: 'Check that the process is up',
    authenticated: false,
    success: { status: 200, description: 'The process is up.', schema: 'Health' },
  },
  {
    method: 'get',
    path: '/readyz',
    operationId: 'getReadiness',
    tag: 'Service',
    summary: 'Check that the database answers',
    authenticated: false,
    success: { status: 200, description: 'The server can serve requests.', schema: 'Readiness' },
    otherResponses: [
      { status: 503, description: 'The database did not respond.', schema: 'Readiness' },
    ],
  },
  {
    method: 'get',
    path: '/v1/openapi.json',
    operationId: 'getOpenApiDocument',
    tag: 'Service',
    summary: 'Get this OpenAPI document',
    authenticated: false,
    success: {
      status: 200,
      description: 'The OpenAPI 3.1 document of the API.',
      schema: 'OpenApiDocument',
    },
  },
  {
    method: 'get',
    path: '/v1/account',
    operationId: 'getAccount',
    tag: 'Account',
    summary: 'Get the account of the API key',
    description:
      'The cheapest way to test an API key; connectors use the name to label a connection.',
    authenticated: true,
    success: { status: 200, description: 'The account.', schema: 'Account' },
  },
  {
    method: 'get',
    path: '/v1/event-types',
    operationId: 'listEventTypes',
    tag: 'Event types',
    summary: 'List the event catalog',
    description: 'Every event type with the JSON Schema of its `data` and a sample event.',
    authenticated: true,
    success: {
      status: 200,
      description: 'The catalog, in catalog order.',
      schema: 'EventTypeList',
    },
  },
  {
    method: 'post',
    path: '/v1/events',
    operationId: 'publishEvent',
    tag: 'Events',
    summary: 'Publish an event',
    description:
      'Stores the event and schedules one delivery to every enabled endpoint subscribed to its type, in one ' +
      'transaction. `data` is validated against the schema of `event_type`.',
    authenticated: true,
    requestBody: 'EventPublish',
    success: { status: 201, description: 'The stored event.', schema: 'Event' },
    errors: [
      {
        status: 422,
        description: '`unknown_event_type` when `event_type` is not in the catalog.',
      },
    ],
  },
  {
    method: 'get',
    path: '/v1/events',
    operationId: 'listEvents',
    tag: 'Events',
    summary: 'List events, newest first',
    description: 'Test events sent with `POST /v1/endpoints/{id}/test` are not listed.',
    authenticated: true,
    query: eventListQuerySchema,
    success: { status: 200, description: 'One page of events.', schema: 'EventList' },
  },
  {
    method: 'get',
    path: '/v1/events/{id}',
    operationId: 'getEvent',
    tag: 'Events',
    summary: 'Get an event',
    authenticated: true,
    idParameter: 'Event id, prefixed `evt_`.',
    success: { status: 200, description: 'The event.', schema: 'Event' },
  },
  {
    method: 'post',
    path: '/v1/contacts',
    operationId: 'createContact',
    tag: 'Contacts',
    summary: 'Create a contact',
    description: 'Emits `contact.created` in the same transaction.',
    authenticated: true,
    requestBody: 'ContactCreate',
    success: { status: 201, description: 'The created contact.', schema: 'Contact' },
    errors: [
      {
        status: 409,
        description:
          '`conflict` on field `email` when another contact of the account has the email address.',
      },
    ],
  },
  {
    method: 'get',
    path: '/v1/contacts',
    operationId: 'listContacts',
    tag: 'Contacts',
    summary: 'List contacts, oldest first',
    description: '`email` finds the contact with this address, compared case-insensitively.',
    authenticated: true,
    query: contactListQuerySchema,
    success: { status: 200, description: 'One page of contacts.', schema: 'ContactList' },
  },
  {
    method: 'get',
    path: '/v1/contacts/{id}',
    operationId: 'getContact',
    tag: 'Contacts',
    summary: 'Get a contact',
    authenticated: true,
    idParameter: 'Contact id, prefixed `con_`.',
    success: { status: 200, description: 'The contact.', schema: 'Contact' },
  },
  {
    method: 'patch',
    path: '/v1/contacts/{id}',
    operationId: 'updateContact',
    tag: 'Contacts',
    summary: 'Update a contact',
    description:
      'Changes the fields present in the body; `null` clears a field. Emits `contact.updated`, whose ' +
      '`previous_attributes` holds the changed fields with their old values. A request that changes nothing ' +
      'returns the contact unchanged and emits no event.',
    authenticated: true,
    idParameter: 'Contact id, prefixed `con_`.',
    requestBody: 'ContactUpdate',
    success: { status: 200, description: 'The contact after the update.', schema: 'Contact' },
    errors: [
      {
        status: 409,
        description:
          '`conflict` on field `email` when another contact of the account has the new address.',
      },
    ],
  },
  {
    method: 'delete',
    path: '/v1/contacts/{id}',
    operationId: 'deleteContact',
    tag: 'Contacts',
    summary: 'Delete a contact',
    description: 'Emits `contact.deleted` in the same transaction.',
    authenticated: true,
    idParameter: 'Contact id, prefixed `con_`.',
    success: { status: 204, description: 'The contact was deleted.' },
  },
  {
    method: 'post',
    path: '/v1/endpoints',
    operationId: 'createEndpoint',
    tag: 'Endpoints',
    summary: 'Create an endpoint',
    description:
      'Subscribes a URL to event types (REST hook subscribe). The response is the only one besides ' +
      '`GET /v1/endpoints/{id}/secret` and rotation that carries the signing secret.',
    authenticated: true,
    requestBody: 'EndpointCreate',
    success: {
      status: 201,
      description: 'The endpoint with its signing secret.',
      schema: 'EndpointWithSecret',
    },
    errors: [
      {
        status: 422,
        description:
          '`endpoint_url_rejected` on field `url` when the URL points at a forbidden address.',
      },
    ],
  },
  {
    method: 'get',
    path: '/v1/endpoints',
    operationId: 'listEndpoints',
    tag: 'Endpoints',
    summary: 'List endpoints',
    authenticated: true,
    query: endpointListQuerySchema,
    success: {
      status: 200,
      description: 'One page of endpoints, without secrets.',
      schema: 'EndpointList',
    },
  },
  {
    method: 'get',
    path: '/v1/endpoints/{id}',
    operationId: 'getEndpoint',
    tag: 'Endpoints',
    summary: 'Get an endpoint',
    authenticated: true,
    idParameter: 'Endpoint id, prefixed `ep_`.',
    success: { status: 200, description: 'The endpoint, without its secret.', schema: 'Endpoint' },
  },
  {
    method: 'patch',
    path: '/v1/endpoints/{id}',
    operationId: 'updateEndpoint',
    tag: 'Endpoints',
    summary: 'Update an endpoint',
    description:
      'Changes the fields present in the body; `enabled: false` pauses the endpoint, `true` resumes it.',
    authenticated: true,
    idParameter: 'Endpoint id, prefixed `ep_`.',
    requestBody: 'EndpointUpdate',
    success: { status: 200, description: 'The endpoint after the update.', schema: 'Endpoint' },
    errors: [
      {
        status: 422,
        description:
          '`endpoint_url_rejected` on field `url` when the URL points at a forbidden address.',
      },
    ],
  },
  {
    method: 'delete',
    path: '/v1/endpoints/{id}',
    operationId: 'deleteEndpoint',
    tag: 'Endpoints',
    summary: 'Delete an endpoint',
    description: 'REST hook unsubscribe. The delivery log of the endpoint stays readable.',
    authenticated: true,
    idParameter: 'Endpoint id, prefixed `ep_`.',
    success: { status: 204, description: 'The endpoint was deleted.' },
  },
  {
    method: 'post',
    path: '/v1/endpoints/{id}/test',
    operationId: 'sendTestEvent',
    tag: 'Endpoints',
    summary: 'Send a test event',
    description:
      'Sends the catalog sample of `event_type` to this endpoint only, as a signed test delivery.',
    authenticated: true,
    idParameter: 'Endpoint id, prefixed `ep_`.',
    requestBody: 'EndpointTest',
    success: { status: 201, description: 'The test delivery, queued.', schema: 'Delivery' },
    errors: [{ status: 409, description: '`conflict` when the endpoint is disabled.' }],
  },
  {
    method: 'post',
    path: '/v1/endpoints/{id}/rotate-secret',
    operationId: 'rotateEndpointSecret',
    tag: 'Endpoints',
    summary: 'Rotate the signing secret',
    description: 'The replaced secret keeps signing next to the new one for 24 hours.',
    authenticated: true,
    idParameter: 'Endpoint id, prefixed `ep_`.',
    success: {
      status: 200,
      description: 'The endpoint with its new secret.',
      schema: 'EndpointWithSecret',
    },
  },
  {
    method: 'get',
    path: '/v1/endpoints/{id}/secret',
    operationId: 'getEndpointSecret',
    tag: 'Endpoints',
    summary: 'Get the signing secret',
    authenticated: true,
    idParameter: 'Endpoint id, prefixed `ep_`.',
    success: { status: 200, description: 'The current signing secret.', schema: 'EndpointSecret' },
  },
  {
    method: 'post',
    path: '/v1/endpoints/{id}/resend-failed',
    operationId: 'resendFailedDeliveries',
    tag: 'Endpoints',
    summary: 'Resend failed deliveries',
    description:
      'Schedules every failed delivery to this endpoint created at or after `since` again.',
    authenticated: true,
    idParameter: 'Endpoint id, prefixed `ep_`.',
    requestBody: 'EndpointResendFailed',
    success: {
      status: 200,
      description: 'How many deliveries were scheduled.',
      schema: 'ResendFailedResult',
    },
    errors: [{ status: 409, description: '`conflict` when the endpoint is disabled.' }],
  },
  {
    method: 'get',
    path: '/v1/deliveries',
    operationId: 'listDeliveries',
    tag: 'Deliveries',
    summary: 'List deliveries, newest first',
    authenticated: true,
    query: deliveryListQuerySchema,
    success: {
      status: 200,
      description: 'One page of deliveries with their attempts.',
      schema: 'DeliveryList',
    },
  },
  {
    method: 'get',
    path: '/v1/deliveries/{id}',
    operationId: 'getDelivery',
    tag: 'Deliveries',
    summary: 'Get a delivery',
    authenticated: true,
    idParameter: 'Delivery id, prefixed `dlv_`.',
    success: { status: 200, description: 'The delivery with every attempt.', schema: 'Delivery' },
  },
  {
    method: 'post',
    path: '/v1/deliveries/{id}/redeliver',
    operationId: 'redeliverDelivery',
    tag: 'Deliveries',
    summary: 'Send a delivery again',
    description: 'Sends the same event again now, with the same `webhook-id`, as a manual attempt.',
    authenticated: true,
    idParameter: 'Delivery id, prefixed `dlv_`.',
    success: {
      status: 202,
      description: 'The delivery, with the new attempt scheduled.',
      schema: 'Delivery',
    },
    errors: [
      {
        status: 409,
        description:
          '`conflict` when an attempt is in flight, or the endpoint of the delivery is disabled or deleted.',
      },
    ],
  },
];

import type { LightMyRequestResponse } from 'fastify';

import { buildOpenApiDocument } from '../../src/openapi/document.js';
import { operations } from '../../src/openapi/operations.js';
import { createApiHarness, type ApiHarness } from '../support/api-harness.js';
import { componentValidators } from '../support/openapi-validator.js';

interface ResponseObject {
  content?: Record<string, { schema: { $ref: string } }>;
}

const document = buildOpenApiDocument() as {
  paths: Record<
    string,
    Record<string, { operationId: string; responses: Record<string, ResponseObject> }>
  >;
  components: unknown;
};
const validatorFor = componentValidators(document as { components: unknown });

function documentedResponses(operationId: string): Record<string, ResponseObject> {
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item)) {
      if (operation.operationId === operationId) {
        return operation.responses;
      }
    }
  }
  throw new Error(`no operation ${operationId} in the document`);
}

/**
 * Every response of the scenario is checked against the document: its status must be documented for the operation,
 * and its body must validate against the schema of its media type.
 */
describe('responses match the OpenAPI document', () => {
  let harness: ApiHarness;
  const exercised = new Map<string, Set<number>>();

  beforeAll(async () => {
    harness = await createApiHarness();
  });

  afterAll(async () => {
    await harness.close();
  });

  function check(operationId: string, response: LightMyRequestResponse): LightMyRequestResponse {
    const documented = documentedResponses(operationId)[String(response.statusCode)];
    expect({
      operationId,
      status: response.statusCode,
      documented: documented !== undefined,
    }).toEqual({
      operationId,
      status: response.statusCode,
      documented: true,
    });
    exercised.set(operationId, (exercised.get(operationId) ?? new Set()).add(response.statusCode));

    if (!documented?.content) {
      expect({ operationId, body: response.body }).toEqual({ operationId, body: '' });
      return response;
    }
    const mediaType = String(response.headers['content-type'] ?? '').split(';')[0] ?? '';
    const media = documented.content[mediaType];
    expect({ operationId, mediaType, documented: media !== undefined }).toEqual({
      operationId,
      mediaType,
      documented: true,
    });
    const validate = validatorFor((media?.schema.$ref ?? '').split('/').pop() ?? '');
    const valid = validate(response.json());
    expect({ operationId, errors: valid ? null : validate.errors }).toEqual({
      operationId,
      errors: null,
    });
    return response;
  }

  const a = () => harness.tenantA;

  test('service routes', async () => {
    check('getHealth', await harness.app.inject({ method: 'GET', url: '/healthz' }));
    check('getReadiness', await harness.app.inject({ method: 'GET', url: '/readyz' }));
    check(
      'getOpenApiDocument',
      await harness.app.inject({ method: 'GET', url: '/v1/openapi.json' }),
    );
  });

  test('account and event types', async () => {
    check('getAccount', await a().request({ method: 'GET', url: '/v1/account' }));
    check('getAccount', await harness.app.inject({ method: 'GET', url: '/v1/account' }));
    check('listEventTypes', await a().request({ method: 'GET', url: '/v1/event-types' }));
  });

  test('contacts', async () => {
    const created = check(
      'createContact',
      await a().request({
        method: 'POST',
        url: '/v1/contacts',
        payload: { email: 'ada@example.com', first_name: 'Ada', tags: ['vip'] },
        headers: { 'idempotency-key': 'contract-1' },
      }),
    );
    const id = (created.json() as { id: string }).id;

    check(
      'createContact',
      await a().request({
        method: 'POST',
        url: '/v1/contacts',
        payload: { email: 'ada@example.com', first_name: 'Ada', tags: ['vip'] },
        headers: { 'idempotency-key': 'contract-1' },
      }),
    );
    check(
      'createContact',
      await a().request({
        method: 'POST',
        url: '/v1/contacts',
        payload: { email: 'ADA@example.com' },
      }),
    );
    check(
      'createContact',
      await a().request({ method: 'POST', url: '/v1/contacts', payload: { email: 'x' } }),
    );
    check(
      'createContact',
      await a().request({
        method: 'POST',
        url: '/v1/contacts',
        payload: 'email=a',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
    );
    check(
      'createContact',
      await a().request({
        method: 'POST',
        url: '/v1/contacts',
        payload: '{"email":',
        headers: { 'content-type': 'application/json' },
      }),
    );
    check('listContacts', await a().request({ method: 'GET', url: '/v1/contacts?limit=1' }));
    check('listContacts', await a().request({ method: 'GET', url: '/v1/contacts?limit=0' }));
    check('getContact', await a().request({ method: 'GET', url: `/v1/contacts/${id}` }));
    check('getContact', await a().request({ method: 'GET', url: '/v1/contacts/con_unknown' }));
    check(
      'updateContact',
      await a().request({ method: 'PATCH', url: `/v1/contacts/${id}`, payload: { company: 'X' } }),
    );
    check(
      'updateContact',
      await a().request({ method: 'PATCH', url: `/v1/contacts/${id}`, payload: {} }),
    );
    check('deleteContact', await a().request({ method: 'DELETE', url: `/v1/contacts/${id}` }));
    check('deleteContact', await a().request({ method: 'DELETE', url: `/v1/contacts/${id}` }));
  });

  test('events', async () => {
    const published = check(
      'publishEvent',
      await a().request({
        method: 'POST',
        url: '/v1/events',
        payload: {
          event_type: 'report.generated',
          data: {
            id: 'rep_01JD3QD1Y3Z5A7B9C1D3E5F7G9',
            name: 'Monthly revenue',
            format: 'csv',
            row_count: 3,
            period_start: '2026-02-01T00:00:00.000Z',
            period_end: '2026-03-01T00:00:00.000Z',
            download_url: 'https://app.example/reports/1',
            expires_at: '2026-03-08T06:00:00.000Z',
            generated_at: '2026-03-01T06:00:03.871Z',
          },
        },
      }),
    );
    const eventId = (published.json() as { event_id: string }).event_id;

    check(
      'publishEvent',
      await a().request({
        method: 'POST',
        url: '/v1/events',
        payload: { event_type: 'nope.nope', data: {} },
      }),
    );
    check(
      'listEvents',
      await a().request({ method: 'GET', url: '/v1/events?type=report.generated' }),
    );
    check('getEvent', await a().request({ method: 'GET', url: `/v1/events/${eventId}` }));
    check('getEvent', await a().request({ method: 'GET', url: '/v1/events/evt_unknown' }));
  });

  test('endpoints and deliveries', async () => {
    const created = check(
      'createEndpoint',
      await a().request({
        method: 'POST',
        url: '/v1/endpoints',
        payload: { url: 'http://127.0.0.1:9/hook', event_types: ['contact.created'] },
      }),
    );
    const endpointId = (created.json() as { id: string }).id;

    check(
      'createEndpoint',
      await a().request({ method: 'POST', url: '/v1/endpoints', payload: { url: 'ftp://x' } }),
    );
    check('listEndpoints', await a().request({ method: 'GET', url: '/v1/endpoints' }));
    check('getEndpoint', await a().request({ method: 'GET', url: `/v1/endpoints/${endpointId}` }));
    check(
      'updateEndpoint',
      await a().request({
        method: 'PATCH',
        url: `/v1/endpoints/${endpointId}`,
        payload: { description: 'CRM' },
      }),
    );
    const test = check(
      'sendTestEvent',
      await a().request({
        method: 'POST',
        url: `/v1/endpoints/${endpointId}/test`,
        payload: { event_type: 'invoice.paid' },
      }),
    );
    const deliveryId = (test.json() as { id: string }).id;
    check(
      'rotateEndpointSecret',
      await a().request({ method: 'POST', url: `/v1/endpoints/${endpointId}/rotate-secret` }),
    );
    check(
      'getEndpointSecret',
      await a().request({ method: 'GET', url: `/v1/endpoints/${endpointId}/secret` }),
    );
    check(
      'resendFailedDeliveries',
      await a().request({
        method: 'POST',
        url: `/v1/endpoints/${endpointId}/resend-failed`,
        payload: { since: '2026-01-01T00:00:00.000Z' },
      }),
    );
    check(
      'listDeliveries',
      await a().request({ method: 'GET', url: `/v1/deliveries?endpoint_id=${endpointId}` }),
    );
    check('getDelivery', await a().request({ method: 'GET', url: `/v1/deliveries/${deliveryId}` }));
    check('getDelivery', await a().request({ method: 'GET', url: '/v1/deliveries/dlv_unknown' }));
    check(
      'redeliverDelivery',
      await a().request({ method: 'POST', url: `/v1/deliveries/${deliveryId}/redeliver` }),
    );
    check(
      'updateEndpoint',
      await a().request({
        method: 'PATCH',
        url: `/v1/endpoints/${endpointId}`,
        payload: { enabled: false },
      }),
    );
    check(
      'sendTestEvent',
      await a().request({
        method: 'POST',
        url: `/v1/endpoints/${endpointId}/test`,
        payload: { event_type: 'invoice.paid' },
      }),
    );
    check(
      'deleteEndpoint',
      await a().request({ method: 'DELETE', url: `/v1/endpoints/${endpointId}` }),
    );
    check(
      'deleteEndpoint',
      await a().request({ method: 'DELETE', url: `/v1/endpoints/${endpointId}` }),
    );
  });

  test('every operation was exercised with its success status', () => {
    const missing = operations
      .filter((operation) => !exercised.get(operation.operationId)?.has(operation.success.status))
      .map((operation) => `${operation.operationId} ${operation.success.status}`);

    expect(missing).toEqual([]);
  });
});

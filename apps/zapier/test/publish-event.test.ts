import { catalog, createEvent, describeEventTypes, eventTypes } from '@app/api-client';
import type { PlainInputField, PlainOutputField } from 'zapier-platform-core';

import App from '../src/index';
import { appErrorOf, pollingPerform, rejectionOf, run } from './support/app-tester';
import { api, authData, useNock } from './support/nock-api';

useNock();

const operation = App.creates.publish_event.operation;
const [eventTypeField, dataFields] = operation.inputFields ?? [];
const dataOutputFields = (operation.outputFields ?? []).find(
  (field) => typeof field === 'function',
);

function serveEventTypes(): void {
  api().get('/v1/event-types').reply(200, { data: describeEventTypes() });
}

describe('Event Type dropdown', () => {
  test('lists the server event types', async () => {
    serveEventTypes();

    const choices = await run<Array<{ id: string; label: string }>>(
      pollingPerform('event_type_list'),
      { authData },
    );

    expect(choices.map((choice) => choice.id)).toEqual(eventTypes);
    expect(choices[0]?.label).toBe(`${catalog['contact.created'].title} (contact.created)`);
  });

  test('feeds the Event Type field', () => {
    expect(eventTypeField).toMatchObject({
      key: 'event_type',
      required: true,
      dynamic: 'event_type_list.id.label',
      altersDynamicFields: true,
    });
  });
});

describe('Publish Event input fields', () => {
  test('follow the data schema of the chosen type', async () => {
    serveEventTypes();

    const fields = await run<PlainInputField[]>(dataFields, {
      authData,
      inputData: { event_type: 'invoice.payment_failed' },
    });
    const byKey = new Map(fields.map((field) => [field.key, field]));

    expect([...byKey.keys()]).toEqual(
      Object.keys(catalog['invoice.payment_failed'].schema.shape).map((name) => `data__${name}`),
    );
    expect(byKey.get('data__amount_due')).toMatchObject({
      type: 'integer',
      required: true,
      label: 'Amount Due',
    });
    expect(byKey.get('data__failure_code')).toMatchObject({
      type: 'string',
      choices: ['card_declined', 'insufficient_funds', 'expired_card', 'processing_error'],
    });
    expect(byKey.get('data__next_payment_attempt_at')).toMatchObject({
      type: 'datetime',
      required: false,
    });
  });

  test('take JSON for nested objects', async () => {
    serveEventTypes();

    const fields = await run<PlainInputField[]>(dataFields, {
      authData,
      inputData: { event_type: 'contact.updated' },
    });

    expect(fields.find((field) => field.key === 'data__previous_attributes')).toMatchObject({
      type: 'text',
    });
    expect(fields.find((field) => field.key === 'data__tags')).toMatchObject({
      type: 'string',
      list: true,
    });
  });

  test('fall back to a JSON field for an unlisted type', async () => {
    serveEventTypes();

    const fields = await run<PlainInputField[]>(dataFields, {
      authData,
      inputData: { event_type: 'order.shipped' },
    });

    expect(fields.map((field) => field.key)).toEqual(['data_json']);
  });

  test('are empty until a type is chosen', async () => {
    const fields = await run<PlainInputField[]>(dataFields, { authData, inputData: {} });

    expect(fields).toEqual([]);
  });
});

describe('Publish Event output fields', () => {
  test('describe the data of the chosen type', async () => {
    serveEventTypes();

    const fields = await run<PlainOutputField[]>(dataOutputFields, {
      authData,
      inputData: { event_type: 'invoice.paid' },
    });

    expect(fields.map((field) => field.key)).toContain('data__hosted_invoice_url');
    expect(fields.find((field) => field.key === 'data__paid_at')).toMatchObject({
      label: 'Invoice Paid At',
      type: 'datetime',
    });
  });
});

describe('Publish Event', () => {
  test('converts field text to the schema types', async () => {
    serveEventTypes();
    const sample = catalog['invoice.payment_failed'].sample;
    const published = createEvent('invoice.payment_failed', {
      ...sample,
      next_payment_attempt_at: null,
    });
    api()
      .post('/v1/events', {
        event_type: 'invoice.payment_failed',
        data: { ...sample, amount_due: 4900, attempt_count: 2, next_payment_attempt_at: null },
      })
      .reply(201, published);

    const result = await run(operation.perform, {
      authData,
      inputData: {
        event_type: 'invoice.payment_failed',
        data__id: sample.id,
        data__number: sample.number,
        data__contact_id: sample.contact_id,
        data__customer_email: sample.customer_email,
        data__currency: sample.currency,
        data__amount_due: '4900',
        data__attempt_count: ' 2 ',
        data__failure_code: sample.failure_code,
        data__failure_message: sample.failure_message,
      },
    });

    expect(result).toEqual({
      id: published.event_id,
      event_type: 'invoice.payment_failed',
      created_at: published.created_at,
      data: published.data,
    });
  });

  test('parses JSON fields and lists', async () => {
    serveEventTypes();
    const sample = catalog['contact.updated'].sample;
    const published = createEvent('contact.updated', sample);
    api()
      .post('/v1/events', {
        event_type: 'contact.updated',
        data: {
          ...sample,
          tags: ['vip', 'newsletter'],
          previous_attributes: { company: 'Analytical Engines Ltd' },
        },
      })
      .reply(201, published);

    await run(operation.perform, {
      authData,
      inputData: {
        event_type: 'contact.updated',
        data__id: sample.id,
        data__email: sample.email,
        data__first_name: sample.first_name,
        data__last_name: sample.last_name,
        data__company: sample.company,
        data__phone: sample.phone,
        data__tags: '["vip", "newsletter"]',
        data__created_at: sample.created_at,
        data__updated_at: sample.updated_at,
        data__previous_attributes: '{"company": "Analytical Engines Ltd"}',
      },
    });
  });

  test('sends the Data (JSON) field for an unlisted type', async () => {
    serveEventTypes();
    api()
      .post('/v1/events', { event_type: 'order.shipped', data: { order_id: 'ord_1' } })
      .reply(
        422,
        {
          type: 'about:blank',
          title: 'Unknown event type',
          status: 422,
          detail: 'order.shipped is not an event type of the catalog.',
          code: 'unknown_event_type',
          field: 'event_type',
        },
        { 'content-type': 'application/problem+json' },
      );

    const error = appErrorOf(
      await rejectionOf(
        run(operation.perform, {
          authData,
          inputData: { event_type: 'order.shipped', data_json: '{"order_id": "ord_1"}' },
        }),
      ),
    );

    expect(error.message).toBe(
      'Invalid field "event_type": order.shipped is not an event type of the catalog.',
    );
  });

  test('rejects Data (JSON) that is not an object', async () => {
    serveEventTypes();

    const error = appErrorOf(
      await rejectionOf(
        run(operation.perform, {
          authData,
          inputData: { event_type: 'order.shipped', data_json: '[1, 2]' },
        }),
      ),
    );

    expect(error.code).toBe('invalid_json');
    expect(error.message).toContain('must be a JSON object');
  });

  test('rejects invalid JSON in a field', async () => {
    serveEventTypes();

    const error = appErrorOf(
      await rejectionOf(
        run(operation.perform, {
          authData,
          inputData: {
            event_type: 'contact.updated',
            data__previous_attributes: '{company: Babbage}',
          },
        }),
      ),
    );

    expect(error.code).toBe('invalid_json');
    expect(error.message).toMatch(/^Previous Attributes must be valid JSON/);
  });

  test('reports server validation per data field', async () => {
    serveEventTypes();
    api()
      .post('/v1/events')
      .reply(
        422,
        {
          type: 'about:blank',
          title: 'Validation failed',
          status: 422,
          detail: 'data.amount_due: Expected number, received string',
          code: 'validation_failed',
          field: 'data.amount_due',
          errors: [
            {
              field: 'data.amount_due',
              code: 'invalid_type',
              message: 'Expected number, received string',
            },
          ],
        },
        { 'content-type': 'application/problem+json' },
      );

    const error = appErrorOf(
      await rejectionOf(
        run(operation.perform, {
          authData,
          inputData: { event_type: 'invoice.paid', data__amount_due: 'lots' },
        }),
      ),
    );

    expect(error.message).toBe(
      'Invalid field "data.amount_due": Expected number, received string.',
    );
  });
});

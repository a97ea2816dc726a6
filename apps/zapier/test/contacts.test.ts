import { catalog, type Contact } from '@app/api-client';
import nock from 'nock';

import App from '../src/index';
import { appErrorOf, pollingPerform, rejectionOf, run } from './support/app-tester';
import { api, authData, useNock } from './support/nock-api';

useNock();

const contact: Contact = { ...catalog['contact.created'].sample, tags: ['vip'] };

describe('Create Contact', () => {
  test('posts the filled fields and returns the contact', async () => {
    api()
      .post('/v1/contacts', {
        email: contact.email,
        first_name: 'Ada',
        tags: ['vip', 'newsletter'],
      })
      .reply(201, contact);

    const result = await run(App.creates.create_contact.operation.perform, {
      authData,
      inputData: {
        email: contact.email,
        first_name: 'Ada',
        last_name: '',
        tags: ['vip', '', 'newsletter'],
      },
    });

    expect(result).toEqual(contact);
  });

  test('wraps a single tag in a list', async () => {
    api()
      .post('/v1/contacts', { email: contact.email, tags: ['vip'] })
      .reply(201, contact);

    await run(App.creates.create_contact.operation.perform, {
      authData,
      inputData: { email: contact.email, tags: 'vip' },
    });
  });

  test('input fields come from the create schema', () => {
    const fields = App.creates.create_contact.operation.inputFields ?? [];

    expect(fields.map((field) => (typeof field === 'function' ? 'function' : field.key))).toEqual([
      'email',
      'first_name',
      'last_name',
      'company',
      'phone',
      'tags',
    ]);
    expect(fields[0]).toMatchObject({
      key: 'email',
      label: 'Email',
      required: true,
      type: 'string',
    });
    expect(fields[5]).toMatchObject({ key: 'tags', label: 'Tags', required: false, list: true });
  });

  test('reports a duplicate email with the server message', async () => {
    api()
      .post('/v1/contacts')
      .reply(
        409,
        {
          type: 'about:blank',
          title: 'Conflict',
          status: 409,
          detail: `A contact with email ${contact.email} already exists.`,
          code: 'conflict',
          field: 'email',
        },
        { 'content-type': 'application/problem+json' },
      );

    const error = appErrorOf(
      await rejectionOf(
        run(App.creates.create_contact.operation.perform, {
          authData,
          inputData: { email: contact.email },
        }),
      ),
    );

    expect(error.message).toBe(`A contact with email ${contact.email} already exists.`);
    expect(error.status).toBe(409);
  });
});

describe('Update Contact', () => {
  test('patches only the fields the user set', async () => {
    const updated = { ...contact, company: 'Babbage & Co' };
    api().patch(`/v1/contacts/${contact.id}`, { company: 'Babbage & Co' }).reply(200, updated);

    const result = await run(App.creates.update_contact.operation.perform, {
      authData,
      inputData: { contact_id: contact.id, company: 'Babbage & Co', email: '', phone: null },
    });

    expect(result).toEqual(updated);
  });

  test('contact field offers a dropdown and a search', () => {
    const [contactField] = App.creates.update_contact.operation.inputFields ?? [];

    expect(contactField).toMatchObject({
      key: 'contact_id',
      required: true,
      dynamic: 'contact_list.id.email',
      search: 'find_contact.id',
    });
  });

  test('every contact field is optional', () => {
    const fields = (App.creates.update_contact.operation.inputFields ?? []).slice(1);

    expect(fields.length).toBeGreaterThan(0);
    for (const field of fields) {
      expect(field).toMatchObject({ required: false });
    }
  });

  test('reports an unknown contact', async () => {
    api().patch('/v1/contacts/con_missing', { company: 'X' }).reply(
      404,
      {
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        detail: 'Contact con_missing not found.',
        code: 'not_found',
      },
      { 'content-type': 'application/problem+json' },
    );

    const error = appErrorOf(
      await rejectionOf(
        run(App.creates.update_contact.operation.perform, {
          authData,
          inputData: { contact_id: 'con_missing', company: 'X' },
        }),
      ),
    );

    expect(error).toEqual({
      message: 'Contact con_missing not found.',
      code: 'not_found',
      status: 404,
    });
  });
});

describe('Find Contact', () => {
  test('returns the contact with the email', async () => {
    api()
      .get('/v1/contacts')
      .query({ email: contact.email, limit: '1' })
      .reply(200, { data: [contact], next_cursor: null });

    const result = await run(App.searches.find_contact.operation.perform, {
      authData,
      inputData: { email: contact.email },
    });

    expect(result).toEqual([contact]);
  });

  test('returns nothing when no contact matches', async () => {
    api()
      .get('/v1/contacts')
      .query({ email: 'nobody@example.com', limit: '1' })
      .reply(200, { data: [], next_cursor: null });

    const result = await run(App.searches.find_contact.operation.perform, {
      authData,
      inputData: { email: 'nobody@example.com' },
    });

    expect(result).toEqual([]);
  });

  test('pairs with Create Contact as search-or-create', () => {
    const pairing = App.searchOrCreates?.['find_contact'];
    const createKeys = (App.creates.create_contact.operation.inputFields ?? []).map((field) =>
      typeof field === 'function' ? '' : field.key,
    );

    expect(pairing).toMatchObject({
      key: 'find_contact',
      search: 'find_contact',
      create: 'create_contact',
    });
    expect(createKeys).toContain('email');
  });
});

describe('Contacts dropdown', () => {
  // z.cursor stores the API cursor between page requests in Zapier's RPC service, which appTester calls with
  // ZAPIER_DEPLOY_KEY. Here nock replaces that service with an in-memory store.
  const cursors = new Map<string, string>();

  beforeAll(() => {
    process.env['ZAPIER_DEPLOY_KEY'] = 'test-deploy-key';
  });
  afterAll(() => {
    delete process.env['ZAPIER_DEPLOY_KEY'];
  });

  interface RpcCall {
    id: string;
    storeKey: string;
    method: string;
    params: string[];
  }

  function fakeCursorService(calls: number): void {
    nock('https://rpc.zapier.com')
      .post('/cli')
      .times(calls)
      .reply(200, (_uri, body) => {
        const call = (typeof body === 'string' ? JSON.parse(body) : body) as RpcCall;
        const { id, storeKey, method, params } = call;
        if (method === 'set_cursor') {
          cursors.set(storeKey, params[0] ?? '');
          return { id, result: null };
        }
        return { id, result: cursors.get(storeKey) ?? null };
      });
  }

  test('pages through contacts with the API cursor', async () => {
    const second = { ...contact, id: 'con_01JD3QG4H6J8K0M2N4P6Q8R0S2', email: 'grace@example.com' };
    api()
      .get('/v1/contacts')
      .query({ limit: '100' })
      .reply(200, { data: [contact], next_cursor: 'page-2' });
    api()
      .get('/v1/contacts')
      .query({ limit: '100', cursor: 'page-2' })
      .reply(200, { data: [second], next_cursor: null });
    // Page 0 sets the cursor; pages 1 and 2 each get it, page 1 sets it again.
    fakeCursorService(4);

    const firstPage = await run(pollingPerform('contact_list'), { authData, meta: { page: 0 } });
    const secondPage = await run(pollingPerform('contact_list'), { authData, meta: { page: 1 } });
    const thirdPage = await run(pollingPerform('contact_list'), { authData, meta: { page: 2 } });

    expect(firstPage).toEqual([contact]);
    expect(secondPage).toEqual([second]);
    expect(thirdPage).toEqual([]);
  });
});

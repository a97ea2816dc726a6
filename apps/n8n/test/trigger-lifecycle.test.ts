import type { Endpoint } from '@app/api-client';
import type { IDataObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { startReferenceServer, type ReferenceServer } from './support/reference-server';
import { TriggerSession, WebhookReceiver } from './support/trigger-harness';

let server: ReferenceServer;
let receiver: WebhookReceiver;

beforeAll(async () => {
  server = await startReferenceServer();
  receiver = await WebhookReceiver.start();
});

afterAll(async () => {
  await receiver.close();
  await server.close();
});

// Each test starts from an account without endpoints.
afterEach(async () => {
  for (const endpoint of await listEndpoints()) {
    await server.client.endpoints.delete(endpoint.id);
  }
});

async function listEndpoints(): Promise<Endpoint[]> {
  const page = await server.client.endpoints.list({ limit: 100 });
  return page.data;
}

function productionSession(parameters: IDataObject = { events: ['contact.created'] }) {
  return new TriggerSession({ server, receiver, kind: 'production', parameters });
}

describe('trigger lifecycle', () => {
  test('activation creates exactly one endpoint', async () => {
    const session = productionSession({ events: ['contact.updated', 'contact.created'] });

    const { existed } = await session.activate();

    expect(existed).toBe(false);
    const endpoints = await listEndpoints();
    expect(endpoints).toHaveLength(1);
    expect(endpoints[0]?.url).toBe(session.webhookUrl);
    expect(endpoints[0]?.event_types?.slice().sort()).toEqual([
      'contact.created',
      'contact.updated',
    ]);
    expect(endpoints[0]?.description).toContain('Contacts to CRM');
    expect(session.staticData['endpointId']).toBe(endpoints[0]?.id);
    expect(session.staticData['secret']).toBe(
      await server.client.endpoints.getSecret(endpoints[0]!.id),
    );
  });

  test('restart with stored data creates none', async () => {
    const session = productionSession();
    await session.activate();
    const [created] = await listEndpoints();

    const restarted = session.restart();
    const { existed } = await restarted.activate();

    expect(existed).toBe(true);
    const endpoints = await listEndpoints();
    expect(endpoints).toHaveLength(1);
    expect(endpoints[0]?.id).toBe(created?.id);
    expect(restarted.staticData['endpointId']).toBe(created?.id);
    expect(restarted.sent.map((request) => request.method)).toEqual(['GET']);
  });

  test('endpoint deleted on the server is recreated', async () => {
    const session = productionSession();
    await session.activate();
    const firstId = session.staticData['endpointId'] as string;
    await server.client.endpoints.delete(firstId);

    const restarted = session.restart();
    const existed = await restarted.node.webhookMethods.default.checkExists.call(
      restarted.hookContext(),
    );

    expect(existed).toBe(false);
    expect(restarted.staticData['endpointId']).toBeUndefined();
    expect(restarted.staticData['secret']).toBeUndefined();

    await restarted.node.webhookMethods.default.create.call(restarted.hookContext());
    const endpoints = await listEndpoints();
    expect(endpoints).toHaveLength(1);
    expect(endpoints[0]?.id).not.toBe(firstId);
    expect(restarted.staticData['endpointId']).toBe(endpoints[0]?.id);
  });

  test('changed event types replace the endpoint', async () => {
    const session = productionSession({ events: ['contact.created'] });
    await session.activate();
    const firstId = session.staticData['endpointId'] as string;

    const restarted = session.restart();
    restarted.parameters = { events: ['invoice.paid'] };
    const { existed } = await restarted.activate();

    expect(existed).toBe(false);
    const endpoints = await listEndpoints();
    expect(endpoints).toHaveLength(1);
    expect(endpoints[0]?.id).not.toBe(firstId);
    expect(endpoints[0]?.event_types).toEqual(['invoice.paid']);
    expect(restarted.staticData['endpointId']).toBe(endpoints[0]?.id);
  });

  test('changed webhook URL replaces the endpoint', async () => {
    const session = productionSession();
    await session.activate();
    await server.client.endpoints.update(session.staticData['endpointId'] as string, {
      url: `${receiver.url}/elsewhere`,
    });

    const { existed } = await session.restart().activate();

    expect(existed).toBe(false);
    const endpoints = await listEndpoints();
    expect(endpoints.map((endpoint) => endpoint.url)).toEqual([session.webhookUrl]);
  });

  test('disabled endpoint counts as absent', async () => {
    const session = productionSession();
    await session.activate();
    const firstId = session.staticData['endpointId'] as string;
    await server.client.endpoints.update(firstId, { enabled: false });

    const { existed } = await session.restart().activate();

    expect(existed).toBe(false);
    const endpoints = await listEndpoints();
    expect(endpoints).toHaveLength(1);
    expect(endpoints[0]?.enabled).toBe(true);
    expect(endpoints[0]?.id).not.toBe(firstId);
  });

  test('All Events subscribes to every type', async () => {
    const session = productionSession({ events: ['*', 'contact.created'] });

    await session.activate();

    const endpoints = await listEndpoints();
    expect(endpoints).toHaveLength(1);
    expect(endpoints[0]?.event_types).toBeNull();
    const { existed } = await session.restart().activate();
    expect(existed).toBe(true);
  });

  test('empty event selection is rejected', async () => {
    const session = productionSession({ events: [] });

    await expect(session.activate()).rejects.toThrow(
      'Select at least one event type, or All Events',
    );
    expect(await listEndpoints()).toHaveLength(0);
  });

  test('deactivation deletes the endpoint', async () => {
    const session = productionSession();
    await session.activate();

    const deleted = await session.deactivate();

    expect(deleted).toBe(true);
    expect(await listEndpoints()).toHaveLength(0);
    expect(session.staticData['endpointId']).toBeUndefined();
    expect(session.staticData['secret']).toBeUndefined();
  });

  test('deactivation treats 404 as deleted', async () => {
    const session = productionSession();
    await session.activate();
    await server.client.endpoints.delete(session.staticData['endpointId'] as string);

    const deleted = await session.deactivate();

    expect(deleted).toBe(true);
    expect(session.staticData['endpointId']).toBeUndefined();
    expect(session.sent.at(-1)?.method).toBe('DELETE');
  });

  test('deactivation raises other errors', async () => {
    const session = productionSession();
    await session.activate();
    const endpointId = session.staticData['endpointId'];
    session.credentials = {
      ...session.credentials,
      apiKey: 'acme_test_revoked_key_0000000000000000',
    };

    const failure = await session.deactivate().catch((error: unknown) => error);

    const problem = (await (
      await fetch(`${server.url}/v1/endpoints/${String(endpointId)}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${session.credentials.apiKey}` },
      })
    ).json()) as { detail: string };
    expect(failure).toBeInstanceOf(NodeApiError);
    expect((failure as NodeApiError).message).toBe(problem.detail);
    expect((failure as NodeApiError).httpCode).toBe('401');
    expect((failure as NodeApiError).context['code']).toBe('unauthorized');
    expect(session.staticData['endpointId']).toBe(endpointId);
    expect(await listEndpoints()).toHaveLength(1);
  });

  test('test session keeps its own endpoint', async () => {
    const production = productionSession();
    await production.activate();
    const productionId = production.staticData['endpointId'];

    const testSession = new TriggerSession({
      server,
      receiver,
      kind: 'test',
      webhookId: production.webhookId,
      parameters: production.parameters,
    });
    const { existed } = await testSession.activate();

    expect(existed).toBe(false);
    const both = await listEndpoints();
    expect(both.map((endpoint) => endpoint.url).sort()).toEqual(
      [production.webhookUrl, testSession.webhookUrl].sort(),
    );
    expect(testSession.staticData['endpointId']).not.toBe(productionId);
    expect(both.find((endpoint) => endpoint.url === testSession.webhookUrl)?.description).toContain(
      'test session',
    );

    await testSession.deactivate();

    const remaining = await listEndpoints();
    expect(remaining.map((endpoint) => endpoint.id)).toEqual([productionId]);
    expect(production.staticData['endpointId']).toBe(productionId);
    const { existed: productionExists } = await production.restart().activate();
    expect(productionExists).toBe(true);
  });

  test('leftover endpoint at the same URL is removed', async () => {
    const testSession = new TriggerSession({
      server,
      receiver,
      kind: 'test',
      parameters: { events: ['contact.created'] },
    });
    const leftover = await server.client.endpoints.create({
      url: testSession.webhookUrl,
      event_types: ['contact.created'],
    });
    const unrelated = await server.client.endpoints.create({ url: `${receiver.url}/other-tool` });

    await testSession.activate();

    const endpoints = await listEndpoints();
    expect(endpoints.map((endpoint) => endpoint.id).sort()).toEqual(
      [testSession.staticData['endpointId'], unrelated.id].sort(),
    );
    expect(endpoints.some((endpoint) => endpoint.id === leftover.id)).toBe(false);
  });
});

import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject, IWebhookResponseData, WorkflowExecuteMode } from 'n8n-workflow';

import { AcmeCrmTrigger } from '../../nodes/AcmeCrmTrigger/AcmeCrmTrigger.node';
import {
  createHookContext,
  createWebhookContext,
  makeNode,
  type LogEntry,
  type RecordedResponse,
} from './contexts';
import type { SentRequest } from './n8n-http';
import type { ReferenceServer } from './reference-server';

/** One request that reached the receiver, and what the trigger made of it. */
export interface ReceivedDelivery {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
  /** What `webhook()` returned; undefined when it threw. */
  result: IWebhookResponseData | undefined;
  error: unknown;
  /** What `webhook()` wrote through the response object. */
  response: RecordedResponse;
  /** The status the receiver sent back to the server. */
  statusCode: number;
}

/** How long a test waits for a delivery before it fails, in milliseconds; deliveries normally take well under one. */
const DELIVERY_WAIT_MS = 15_000;

/**
 * An HTTP server on 127.0.0.1 standing in for n8n's webhook endpoint. It routes each request by path to the trigger
 * session that owns the URL, runs the node's real `webhook()` with the raw body, and responds as n8n does: with the
 * status the node wrote, 200 when it wrote nothing, 500 when it threw.
 */
export class WebhookReceiver {
  readonly deliveries: ReceivedDelivery[] = [];
  private readonly sessions = new Map<string, TriggerSession>();
  private readonly server: Server;
  private baseUrl = '';

  private constructor() {
    this.server = createServer((request, response) => {
      void this.handle(request).then(
        ({ statusCode, body }) => {
          response.writeHead(statusCode, { 'content-type': 'application/json' });
          response.end(JSON.stringify(body));
        },
        () => {
          response.writeHead(500);
          response.end();
        },
      );
    });
  }

  /** Base URL such as `http://127.0.0.1:41234`. */
  get url(): string {
    return this.baseUrl;
  }

  static async start(): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    receiver.server.listen(0, '127.0.0.1');
    await once(receiver.server, 'listening');
    const { port } = receiver.server.address() as AddressInfo;
    receiver.baseUrl = `http://127.0.0.1:${port}`;
    return receiver;
  }

  /** Routes requests for `path` to `session`. */
  register(path: string, session: TriggerSession): void {
    this.sessions.set(path, session);
  }

  /** Waits for the first delivery, received from `since` on, that matches `predicate`. */
  async waitFor(
    predicate: (delivery: ReceivedDelivery) => boolean,
    since = 0,
  ): Promise<ReceivedDelivery> {
    const deadline = Date.now() + DELIVERY_WAIT_MS;
    for (;;) {
      const found = this.deliveries.slice(since).find(predicate);
      if (found !== undefined) {
        return found;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `no matching delivery within ${DELIVERY_WAIT_MS} ms; received ${this.deliveries.length}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage): Promise<{ statusCode: number; body: unknown }> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) {
      chunks.push(chunk as Buffer);
    }
    const rawBody = Buffer.concat(chunks);
    const path = new URL(request.url ?? '/', this.url).pathname;
    const session = this.sessions.get(path);
    if (session === undefined) {
      return { statusCode: 404, body: { message: `no webhook registered at ${path}` } };
    }

    const delivery = await session.receive(request.headers, rawBody);
    this.deliveries.push({ ...delivery, path });
    return { statusCode: delivery.statusCode, body: delivery.response.body ?? { message: 'ok' } };
  }
}

/** Options of a trigger session. */
export interface TriggerSessionOptions {
  server: ReferenceServer;
  receiver: WebhookReceiver;
  /** `production` for an active workflow, `test` for a "listen for test event" session. */
  kind: 'production' | 'test';
  parameters: IDataObject;
  /** The workflow's webhook id, shared by its production and test URLs. */
  webhookId?: string;
  /** Static data as n8n loaded it from the database; empty for a new activation. */
  staticData?: IDataObject;
  /** Credential fields; defaults to the server's URL and demo API key. */
  credentials?: { apiKey: string; baseUrl: string };
}

/**
 * One activation of the trigger node, as n8n runs it: for a production activation the URL is
 * `/webhook/<id>/webhook`, for a test session `/webhook-test/<id>/webhook` with static data of its own.
 */
export class TriggerSession {
  readonly node = new AcmeCrmTrigger();
  readonly webhookId: string;
  readonly webhookUrl: string;
  readonly staticData: IDataObject;
  readonly sent: SentRequest[] = [];
  readonly logs: LogEntry[] = [];
  credentials: { apiKey: string; baseUrl: string };
  parameters: IDataObject;

  constructor(private readonly options: TriggerSessionOptions) {
    this.webhookId = options.webhookId ?? randomUUID();
    const path = `/${options.kind === 'test' ? 'webhook-test' : 'webhook'}/${this.webhookId}/webhook`;
    this.webhookUrl = `${options.receiver.url}${path}`;
    this.staticData = options.staticData ?? {};
    this.credentials = options.credentials ?? {
      apiKey: options.server.apiKey,
      baseUrl: options.server.url,
    };
    this.parameters = options.parameters;
    options.receiver.register(path, this);
  }

  /** The hook context n8n builds for `webhookMethods`. */
  hookContext() {
    return createHookContext({
      node: makeNode('Acme CRM Trigger', 'acmeCrmTrigger', this.parameters),
      parameters: this.parameters,
      credentials: this.credentials,
      staticData: this.staticData,
      webhookUrl: this.webhookUrl,
      mode: (this.options.kind === 'test' ? 'manual' : 'trigger') as WorkflowExecuteMode,
      sent: this.sent,
      logs: this.logs,
    });
  }

  /** Runs what n8n runs on activation and on every start: `checkExists`, then `create` when it returned false. */
  async activate(): Promise<{ existed: boolean }> {
    const methods = this.node.webhookMethods.default;
    const existed = await methods.checkExists.call(this.hookContext());
    if (!existed) {
      await methods.create.call(this.hookContext());
    }
    return { existed };
  }

  /** Runs what n8n runs on deactivation or at the end of a test session. */
  async deactivate(): Promise<boolean> {
    return await this.node.webhookMethods.default.delete.call(this.hookContext());
  }

  /** Returns the session n8n would build after a restart: same webhook id, static data reloaded from storage. */
  restart(): TriggerSession {
    return new TriggerSession({
      ...this.options,
      webhookId: this.webhookId,
      staticData: JSON.parse(JSON.stringify(this.staticData)) as IDataObject,
      credentials: this.credentials,
      parameters: this.parameters,
    });
  }

  /** Runs the node's `webhook()` for one request, as n8n does for a request to this session's URL. */
  async receive(
    headers: Record<string, string | string[] | undefined>,
    rawBody: Buffer,
  ): Promise<Omit<ReceivedDelivery, 'path'>> {
    const { context, response } = createWebhookContext({
      node: makeNode('Acme CRM Trigger', 'acmeCrmTrigger', this.parameters),
      parameters: this.parameters,
      credentials: this.credentials,
      staticData: this.staticData,
      request: { headers, rawBody },
      sent: this.sent,
      logs: this.logs,
    });

    try {
      const result = await this.node.webhook.call(context);
      return {
        headers,
        rawBody,
        result,
        error: undefined,
        response,
        statusCode: response.statusCode ?? 200,
      };
    } catch (error) {
      return { headers, rawBody, result: undefined, error, response, statusCode: 500 };
    }
  }
}

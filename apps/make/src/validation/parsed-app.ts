import type { ManifestSpec } from './manifest-schema.js';
import type { ParameterSpec } from './parameter-schema.js';
import type { BaseSpec, RequestSpec } from './request-schema.js';
import type { WebhookCommunicationSpec } from './webhook-schema.js';

/** A code file after parsing and schema validation, with the path it came from. */
export interface Code<T> {
  path: string;
  value: T;
}

/** The communication of a connection, module or RPC: one request or several. */
export type Communication = RequestSpec | RequestSpec[];

export interface ParsedConnection {
  communication: Code<Communication>;
  params: Code<ParameterSpec[]>;
}

export interface ParsedWebhook {
  connection: string | null;
  communication: Code<WebhookCommunicationSpec>;
  params: Code<ParameterSpec[]>;
  attach: Code<RequestSpec>;
  detach: Code<RequestSpec>;
}

export interface ParsedModule {
  moduleType: string;
  connection: string | null;
  webhook: string | null;
  communication?: Code<Communication>;
  staticParams: Code<ParameterSpec[]>;
  mappableParams?: Code<ParameterSpec[]>;
  interface: Code<ParameterSpec[]>;
  samples: Code<Record<string, unknown>>;
}

export interface ParsedRpc {
  connection: string | null;
  communication: Code<Communication>;
  params: Code<ParameterSpec[]>;
}

/** A Make app read from its local-development files, every file parsed and checked against its schema. */
export interface ParsedApp {
  manifest: ManifestSpec;
  base: Code<BaseSpec>;
  groups: Code<{ label: string; modules: string[] }[]>;
  readme: Code<string>;
  connections: Map<string, ParsedConnection>;
  webhooks: Map<string, ParsedWebhook>;
  modules: Map<string, ParsedModule>;
  rpcs: Map<string, ParsedRpc>;
}

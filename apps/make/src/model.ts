import type { ActionCrud, ModuleType, ParameterType } from './make-format.js';

/** A JSON value as it is written into an IMLJSON file. */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/** One option of a `select` parameter. */
export interface SelectOption {
  label: string;
  value: string;
}

/** A Make parameter: an entry of a parameters, static parameters, mappable parameters or interface file. */
export interface MakeParameter {
  name?: string;
  label?: string;
  type: ParameterType;
  help?: string;
  required?: boolean;
  advanced?: boolean;
  editable?: boolean;
  default?: JsonValue;
  /** Item parameter of an `array`, or the fields of a `collection` (and of each item of an array of collections). */
  spec?: MakeParameter | MakeParameter[];
  /** Static options, or `rpc://<rpc id>` to load them from an RPC. */
  options?: SelectOption[] | string;
  multiline?: boolean;
  validate?: { min?: number; max?: number; minItems?: number; maxItems?: number };
}

/** The connection: the form a user fills in and the request that checks it. */
export interface ConnectionComponent {
  id: string;
  label: string;
  connectionType: 'basic';
  sections: { communication: JsonObject; params: MakeParameter[] };
}

/** A dedicated webhook: the request that subscribes it, the one that unsubscribes it, and how it outputs a bundle. */
export interface WebhookComponent {
  id: string;
  label: string;
  webhookType: 'web';
  connection: string;
  sections: {
    communication: JsonObject;
    params: MakeParameter[];
    attach: JsonObject;
    detach: JsonObject;
  };
}

/** A module. Instant triggers have no communication of their own: their webhook produces the bundle. */
export interface ModuleComponent {
  id: string;
  label: string;
  description: string;
  moduleType: ModuleType;
  actionCrud?: ActionCrud;
  connection: string;
  webhook?: string;
  sections: {
    communication?: JsonObject;
    staticParams: MakeParameter[];
    mappableParams?: MakeParameter[];
    interface: MakeParameter[];
    samples: JsonObject;
  };
}

/** A remote procedure, here used to fill dropdowns. */
export interface RpcComponent {
  id: string;
  label: string;
  connection: string;
  sections: { communication: JsonObject; params: MakeParameter[] };
}

/** One module group of `groups.json`. */
export interface ModuleGroup {
  label: string;
  modules: string[];
}

/** A remote Make app the VS Code extension deploys to, as stored in `makecomapp.json`. */
export interface Origin {
  label?: string;
  baseUrl: string;
  appId: string;
  appVersion: number;
  apikeyFile: string;
  idMapping?: Record<
    string,
    { local: string | null; remote: string | null; localDeleted?: boolean }[]
  >;
}

/** The whole app, before it is laid out into files. */
export interface MakeAppModel {
  base: JsonObject;
  readme: string;
  groups: ModuleGroup[];
  connection: ConnectionComponent;
  webhooks: WebhookComponent[];
  modules: ModuleComponent[];
  rpcs: RpcComponent[];
  origins: Origin[];
}

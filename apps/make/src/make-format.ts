/**
 * Facts about Make's custom app formats that both the generator and the validation rely on. Sources: Make's
 * Custom Apps documentation (developers.make.com/custom-apps-documentation) and the JSON schemas and types of
 * Make's VS Code extension (integromat/vscode-apps-sdk: `syntaxes/imljson/schemas/*.json`,
 * `src/local-development/types/*.ts`, `src/services/component-code-def.ts`).
 */

/** Module types of `makecomapp.json` and the numeric type id Make's API stores for each. */
export const moduleTypeIds = {
  trigger: 1,
  action: 4,
  search: 9,
  instant_trigger: 10,
  responder: 11,
  universal: 12,
} as const;

export type ModuleType = keyof typeof moduleTypeIds;

/** `crud` values of action modules. */
export const actionCruds = ['create', 'read', 'update', 'delete'] as const;

export type ActionCrud = (typeof actionCruds)[number];

/** Component kinds of `makecomapp.json`, in the order the extension lists them. */
export const componentKinds = [
  'connection',
  'webhook',
  'module',
  'rpc',
  'function',
  'endpoint',
] as const;

export type ComponentKind = (typeof componentKinds)[number];

/**
 * Code types of each component kind (the keys of `codeFiles`) mapped to the section name in the local file name
 * `<kind>s/<kebab-id>/<kebab-id>.<section>.iml.json`. `function` and `endpoint` components are not generated, so
 * their code types are left out and the validation accepts no such component.
 */
export const componentSections = {
  connection: {
    communication: 'communication',
    params: 'params',
  },
  webhook: {
    communication: 'communication',
    params: 'params',
    attach: 'attach',
    detach: 'detach',
    update: 'update',
  },
  module: {
    communication: 'communication',
    epoch: 'epoch',
    staticParams: 'static-params',
    mappableParams: 'mappable-params',
    interface: 'interface',
    samples: 'samples',
  },
  rpc: {
    communication: 'communication',
    params: 'params',
  },
} as const;

export type GeneratedKind = keyof typeof componentSections;

export type CodeType<K extends GeneratedKind> = keyof (typeof componentSections)[K];

/** Paths of the app-level code files, relative to the folder of `makecomapp.json`. */
export const generalCodeFilePaths = {
  base: 'general/base.iml.json',
  common: null,
  readme: 'README.md',
  groups: 'modules/groups.json',
} as const;

/** Name of the manifest file the VS Code extension looks for. */
export const MANIFEST_FILE = 'makecomapp.json';

/** Version of the manifest format this generator writes. */
export const MANIFEST_FILE_VERSION = 1;

/** Local id rules the extension enforces before it deploys (`helpers/validate-id.ts`). */
export const componentIdPatterns: Record<ComponentKind, RegExp> = {
  module: /^[a-zA-Z][0-9a-zA-Z]{2,47}$/,
  rpc: /^[a-zA-Z][0-9a-zA-Z]{2,47}$/,
  function: /^[a-zA-Z][0-9a-zA-Z]{2,47}$/,
  endpoint: /^[a-zA-Z][0-9a-zA-Z]{2,47}$/,
  connection: /^[0-9a-zA-Z_-]{3,28}$/,
  webhook: /^[0-9a-zA-Z_-]{3,28}$/,
};

/** Parameter types Make documents for static and mappable parameters and interfaces, in lower case. */
export const parameterTypes = [
  'array',
  'boolean',
  'buffer',
  'cert',
  'collection',
  'color',
  'date',
  'email',
  'file',
  'filename',
  'filter',
  'folder',
  'hidden',
  'integer',
  'json',
  'number',
  'password',
  'path',
  'pkey',
  'port',
  'select',
  'text',
  'time',
  'timestamp',
  'timezone',
  'uinteger',
  'url',
  'uuid',
] as const;

export type ParameterType = (typeof parameterTypes)[number];

/** Error types `response.error.type` accepts. `InvalidAccessTokenError` deactivates the scenario. */
export const errorTypes = [
  'RuntimeError',
  'DataError',
  'RateLimitError',
  'OutOfSpaceError',
  'ConnectionError',
  'InvalidConfigurationError',
  'InvalidAccessTokenError',
  'IncompleteDataError',
  'DuplicateDataError',
] as const;

export type ErrorType = (typeof errorTypes)[number];

/** Encodings of a request body (`type` of a request). */
export const requestBodyTypes = [
  'json',
  'urlencoded',
  'multipart/form-data',
  'text',
  'string',
  'raw',
  'binary',
] as const;

/** Ways to parse a response body (`response.type`). */
export const responseBodyTypes = [
  'automatic',
  'json',
  'urlencoded',
  'text',
  'raw',
  'string',
  'binary',
  'xml',
] as const;

/** HTTP methods of a request. */
export const httpMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** Prefix of a select's `options` that loads them from an RPC of the same app. */
export const RPC_OPTIONS_PREFIX = 'rpc://';

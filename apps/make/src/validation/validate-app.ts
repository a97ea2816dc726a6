import type { z } from 'zod';

import {
  componentSections,
  generalCodeFilePaths,
  MANIFEST_FILE,
  type GeneratedKind,
} from '../make-format.js';
import { toKebabCase } from '../names.js';
import { checkImlReferences } from './iml-references.js';
import { parseJson, parseJsonc } from './jsonc.js';
import { groupsSchema, manifestSchema, type ManifestSpec } from './manifest-schema.js';
import { parameterListSchema, samplesSchema, type ParameterSpec } from './parameter-schema.js';
import type { Code, ParsedApp } from './parsed-app.js';
import { baseSchema, communicationSchema, requestSchema } from './request-schema.js';
import { webhookCommunicationSchema } from './webhook-schema.js';

/** Result of validating an app: the parsed app when every check passed, and every problem found. */
export interface AppValidation {
  app?: ParsedApp;
  errors: string[];
}

/** Schema of each code type, per component kind. */
const codeSchemas: {
  [K in GeneratedKind]: Record<keyof (typeof componentSections)[K], z.ZodType>;
} = {
  connection: { communication: communicationSchema, params: parameterListSchema },
  webhook: {
    communication: webhookCommunicationSchema,
    params: parameterListSchema,
    attach: requestSchema,
    detach: requestSchema,
    update: requestSchema,
  },
  module: {
    communication: communicationSchema,
    epoch: requestSchema,
    staticParams: parameterListSchema,
    mappableParams: parameterListSchema,
    interface: parameterListSchema,
    samples: samplesSchema,
  },
  rpc: { communication: communicationSchema, params: parameterListSchema },
};

/**
 * Validates the files of a Make app in the local-development layout (`path` relative to the folder of
 * `makecomapp.json` => file text). It checks the manifest, each code file against the schema of its code type, and
 * the extension's file naming. It also checks that the manifest references exactly the files present, that every
 * cross reference (connection, webhook, RPC options, groups) resolves, and every IML reference.
 */
export function validateAppFiles(files: ReadonlyMap<string, string>): AppValidation {
  const errors: string[] = [];
  const manifestText = files.get(MANIFEST_FILE);
  if (manifestText === undefined) {
    return { errors: [`${MANIFEST_FILE} is missing`] };
  }

  let manifest: ManifestSpec;
  try {
    manifest = parseWith(manifestSchema, parseJson(manifestText, MANIFEST_FILE), MANIFEST_FILE);
  } catch (error) {
    return { errors: [(error as Error).message] };
  }

  const referenced = new Set<string>([MANIFEST_FILE]);
  const read = <T>(
    path: string | null | undefined,
    schema: z.ZodType<T>,
    plainJson = false,
  ): Code<T> | undefined => {
    if (!path) {
      return undefined;
    }
    referenced.add(path);
    const text = files.get(path);
    if (text === undefined) {
      errors.push(`${path}: referenced by ${MANIFEST_FILE} but missing`);
      return undefined;
    }
    try {
      const value = plainJson ? parseJson(text, path) : parseJsonc(text, path);
      return { path, value: parseWith(schema, value, path) };
    } catch (error) {
      errors.push((error as Error).message);
      return undefined;
    }
  };

  checkGeneralPaths(manifest, errors);
  const base = read(manifest.generalCodeFiles.base, baseSchema);
  const groups = read(manifest.generalCodeFiles.groups, groupsSchema, true);
  const readme = readText(manifest.generalCodeFiles.readme, files, referenced, errors);

  const app: ParsedApp = {
    manifest,
    // A missing general file was recorded in `errors`, so this app is never returned; the placeholders only let
    // the remaining checks run and report everything in one pass.
    base: base ?? { path: '', value: { baseUrl: 'missing' } },
    groups: groups ?? { path: '', value: [] },
    readme: readme ?? { path: '', value: '' },
    connections: new Map(),
    webhooks: new Map(),
    modules: new Map(),
    rpcs: new Map(),
  };

  for (const [id, metadata] of Object.entries(manifest.components.connection)) {
    const codes = readComponent('connection', id, metadata.codeFiles, read, errors);
    if (codes.communication && codes.params) {
      app.connections.set(id, {
        communication: validated(codes.communication),
        params: validated(codes.params),
      });
    }
  }

  for (const [id, metadata] of Object.entries(manifest.components.webhook)) {
    checkConnection(`webhook ${id}`, metadata.connection, manifest, errors);
    const codes = readComponent('webhook', id, metadata.codeFiles, read, errors);
    for (const required of ['communication', 'params', 'attach', 'detach'] as const) {
      if (!metadata.codeFiles[required]) {
        errors.push(`webhook ${id}: codeFiles.${required} is missing`);
      }
    }
    if (codes.communication && codes.params && codes.attach && codes.detach) {
      app.webhooks.set(id, {
        connection: metadata.connection ?? null,
        communication: validated(codes.communication),
        params: validated(codes.params),
        attach: validated(codes.attach),
        detach: validated(codes.detach),
      });
    }
  }

  for (const [id, metadata] of Object.entries(manifest.components.module)) {
    checkConnection(`module ${id}`, metadata.connection, manifest, errors);
    if (metadata.webhook && !(metadata.webhook in manifest.components.webhook)) {
      errors.push(
        `module ${id}: webhook "${metadata.webhook}" is not a webhook of ${MANIFEST_FILE}`,
      );
    }
    const codes = readComponent('module', id, metadata.codeFiles, read, errors);
    if (codes.staticParams && codes.interface && codes.samples) {
      app.modules.set(id, {
        moduleType: metadata.moduleType,
        connection: metadata.connection ?? null,
        webhook: metadata.webhook ?? null,
        communication: validated(codes.communication),
        staticParams: validated(codes.staticParams),
        mappableParams: validated(codes.mappableParams),
        interface: validated(codes.interface),
        samples: validated(codes.samples),
      });
    } else {
      errors.push(`module ${id}: codeFiles needs staticParams, interface and samples`);
    }
  }

  for (const [id, metadata] of Object.entries(manifest.components.rpc)) {
    checkConnection(`rpc ${id}`, metadata.connection, manifest, errors);
    const codes = readComponent('rpc', id, metadata.codeFiles, read, errors);
    if (codes.communication && codes.params) {
      app.rpcs.set(id, {
        connection: metadata.connection ?? null,
        communication: validated(codes.communication),
        params: validated(codes.params),
      });
    } else {
      errors.push(`rpc ${id}: codeFiles needs communication and params`);
    }
  }

  if (groups) {
    checkGroups(app, errors);
  }
  checkRpcOptions(app, errors);
  checkExactFiles(files, referenced, errors);
  if (errors.length === 0) {
    errors.push(...checkImlReferences(app));
  }

  return errors.length === 0 ? { app, errors } : { errors };
}

/**
 * Returns a code file as the type its code type's schema guarantees; `readComponent` parsed it with that schema.
 */
function validated<T>(code: Code<unknown> | undefined): T {
  return code as T;
}

function parseWith<T>(schema: z.ZodType<T>, value: unknown, path: string): T {
  const result = schema.safeParse(value);
  if (result.success) {
    return result.data;
  }
  const issues = result.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
  throw new Error(`${path}: ${issues}`);
}

function readText(
  path: string | null,
  files: ReadonlyMap<string, string>,
  referenced: Set<string>,
  errors: string[],
): Code<string> | undefined {
  if (!path) {
    return undefined;
  }
  referenced.add(path);
  const text = files.get(path);
  if (text === undefined) {
    errors.push(`${path}: referenced by ${MANIFEST_FILE} but missing`);
    return undefined;
  }
  return { path, value: text };
}

type Reader = <T>(
  path: string | null | undefined,
  schema: z.ZodType<T>,
  plainJson?: boolean,
) => Code<T> | undefined;

function readComponent<K extends GeneratedKind>(
  kind: K,
  id: string,
  codeFiles: Partial<Record<string, string | null>>,
  read: Reader,
  errors: string[],
): Partial<Record<keyof (typeof componentSections)[K], Code<unknown>>> {
  const sections = componentSections[kind] as Record<string, string>;
  const schemas = codeSchemas[kind] as Record<string, z.ZodType>;
  const codes: Partial<Record<string, Code<unknown>>> = {};

  for (const [codeType, path] of Object.entries(codeFiles)) {
    const section = sections[codeType];
    const schema = schemas[codeType];
    if (!path || section === undefined || schema === undefined) {
      continue;
    }
    const expected = `${kind}s/${toKebabCase(id)}/${toKebabCase(id)}.${section}.iml.json`;
    if (path !== expected) {
      errors.push(`${kind} ${id}: codeFiles.${codeType} is "${path}", expected "${expected}"`);
    }
    codes[codeType] = read(path, schema);
  }
  return codes as Partial<Record<keyof (typeof componentSections)[K], Code<unknown>>>;
}

function checkGeneralPaths(manifest: ManifestSpec, errors: string[]): void {
  for (const [codeType, expected] of Object.entries(generalCodeFilePaths)) {
    const actual = manifest.generalCodeFiles[codeType as keyof typeof generalCodeFilePaths];
    if (actual !== expected) {
      errors.push(
        `${MANIFEST_FILE}: generalCodeFiles.${codeType} is ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`,
      );
    }
  }
}

function checkConnection(
  owner: string,
  connection: string | null | undefined,
  manifest: ManifestSpec,
  errors: string[],
): void {
  if (connection && !(connection in manifest.components.connection)) {
    errors.push(`${owner}: connection "${connection}" is not a connection of ${MANIFEST_FILE}`);
  }
}

function checkGroups(app: ParsedApp, errors: string[]): void {
  const grouped = new Map<string, number>();
  for (const group of app.groups.value) {
    for (const id of group.modules) {
      grouped.set(id, (grouped.get(id) ?? 0) + 1);
      if (!app.modules.has(id)) {
        errors.push(
          `${app.groups.path}: group "${group.label}" lists "${id}", which is not a module`,
        );
      }
    }
  }
  for (const id of app.modules.keys()) {
    const count = grouped.get(id) ?? 0;
    if (count !== 1) {
      errors.push(`${app.groups.path}: module "${id}" is in ${count} groups, expected exactly one`);
    }
  }
}

function checkRpcOptions(app: ParsedApp, errors: string[]): void {
  const visit = (parameters: ParameterSpec[] | undefined, path: string): void => {
    for (const parameter of parameters ?? []) {
      const options = parameter.options;
      const store =
        typeof options === 'string'
          ? options
          : options !== undefined && !Array.isArray(options) && typeof options.store === 'string'
            ? options.store
            : undefined;
      if (store !== undefined) {
        const rpc = store.replace(/^rpc:\/\//, '');
        if (!app.rpcs.has(rpc)) {
          errors.push(
            `${path}: parameter "${parameter.name}" loads options from "${store}", which is not an RPC of the app`,
          );
        }
      }
    }
  };
  for (const module of app.modules.values()) {
    visit(module.staticParams.value, module.staticParams.path);
    visit(module.mappableParams?.value, module.mappableParams?.path ?? '');
  }
}

function checkExactFiles(
  files: ReadonlyMap<string, string>,
  referenced: ReadonlySet<string>,
  errors: string[],
): void {
  for (const path of files.keys()) {
    if (!referenced.has(path)) {
      errors.push(`${path}: present but not referenced by ${MANIFEST_FILE}`);
    }
  }
}

import { z } from 'zod';

import {
  actionCruds,
  componentIdPatterns,
  componentSections,
  MANIFEST_FILE_VERSION,
  moduleTypeIds,
  type ComponentKind,
  type GeneratedKind,
} from '../make-format.js';
import { plainString } from './iml-strings.js';

/**
 * Zod schemas of `makecomapp.json` and `groups.json`, written from the extension's `makecomapp.types.ts`, its
 * generated `makecomapp.schema.json` and `validate-id.ts`. The manifest is plain JSON: the extension reads it
 * with `JSON.parse`.
 */

const relativePath = plainString.regex(
  /^(?!\/)(?!.*\.\.)[A-Za-z0-9._/-]+$/,
  'expected a relative path inside the app folder',
);

function codeFilesSchema<K extends GeneratedKind>(kind: K) {
  const keys = Object.keys(componentSections[kind]) as [string, ...string[]];
  return z.partialRecord(z.enum(keys), relativePath.nullable());
}

const moduleType = z.enum(
  Object.keys(moduleTypeIds) as [keyof typeof moduleTypeIds, ...(keyof typeof moduleTypeIds)[]],
);

const connectionMetadata = z.strictObject({
  label: plainString.min(1),
  connectionType: z.enum(['basic', 'oauth']),
  codeFiles: codeFilesSchema('connection'),
});

const webhookMetadata = z.strictObject({
  label: plainString.min(1),
  webhookType: z.enum(['web', 'web-shared']),
  connection: plainString.nullable().optional(),
  altConnection: plainString.nullable().optional(),
  codeFiles: codeFilesSchema('webhook'),
});

const moduleMetadata = z
  .strictObject({
    label: plainString.min(1),
    description: plainString.min(1),
    moduleType,
    actionCrud: z.enum(actionCruds).nullable().optional(),
    connection: plainString.nullable().optional(),
    altConnection: plainString.nullable().optional(),
    webhook: plainString.nullable().optional(),
    codeFiles: codeFilesSchema('module'),
  })
  .superRefine((metadata, context) => {
    if (metadata.moduleType === 'action' && !metadata.actionCrud) {
      context.addIssue({
        code: 'custom',
        path: ['actionCrud'],
        message: 'an action module declares its crud',
      });
    }
    if (metadata.moduleType !== 'action' && metadata.actionCrud) {
      context.addIssue({
        code: 'custom',
        path: ['actionCrud'],
        message: 'only action modules declare a crud',
      });
    }
    if (metadata.moduleType === 'instant_trigger' && !metadata.webhook) {
      context.addIssue({
        code: 'custom',
        path: ['webhook'],
        message: 'an instant trigger names its webhook',
      });
    }
    if (metadata.moduleType !== 'instant_trigger' && metadata.webhook) {
      context.addIssue({
        code: 'custom',
        path: ['webhook'],
        message: 'only instant triggers name a webhook',
      });
    }
    if (metadata.moduleType !== 'instant_trigger' && !metadata.codeFiles['communication']) {
      context.addIssue({
        code: 'custom',
        path: ['codeFiles', 'communication'],
        message: 'the module needs a communication',
      });
    }
    if (metadata.moduleType !== 'trigger' && metadata.codeFiles['epoch']) {
      context.addIssue({
        code: 'custom',
        path: ['codeFiles', 'epoch'],
        message: 'only polling triggers have an epoch',
      });
    }
    for (const required of ['interface', 'samples'] as const) {
      if (!metadata.codeFiles[required]) {
        context.addIssue({
          code: 'custom',
          path: ['codeFiles', required],
          message: `the module needs ${required}`,
        });
      }
    }
  });

const rpcMetadata = z.strictObject({
  label: plainString.min(1),
  connection: plainString.nullable().optional(),
  altConnection: plainString.nullable().optional(),
  codeFiles: codeFilesSchema('rpc'),
});

function componentsOf<T extends z.ZodType>(kind: ComponentKind, metadata: T) {
  const pattern = componentIdPatterns[kind];
  return z.record(z.string(), metadata).superRefine((components, context) => {
    for (const id of Object.keys(components)) {
      if (!pattern.test(id)) {
        context.addIssue({
          code: 'custom',
          path: [id],
          message: `invalid ${kind} id "${id}": it must match ${pattern.source}`,
        });
      }
    }
  });
}

const idMappingItem = z.strictObject({
  local: z.string().nullable(),
  remote: z.string().nullable(),
  localDeleted: z.boolean().optional(),
});

/** A Make app to deploy to. */
export const originSchema = z.strictObject({
  label: plainString.optional(),
  baseUrl: z
    .url()
    .regex(/^https:\/\/.+\/api$/, 'expected the zone API URL, such as "https://eu1.make.com/api"'),
  appId: z
    .string()
    .regex(
      /^[a-z][0-9a-z-]+[0-9a-z]$/,
      'expected the app id shown in Make, such as "acme-crm-1a2b3c"',
    ),
  appVersion: z.number().int().positive(),
  apikeyFile: plainString.min(1),
  idMapping: z
    .strictObject({
      connection: z.array(idMappingItem),
      webhook: z.array(idMappingItem),
      module: z.array(idMappingItem),
      rpc: z.array(idMappingItem),
      function: z.array(idMappingItem),
      endpoint: z.array(idMappingItem).optional(),
    })
    .optional(),
});

/** `makecomapp.json`. Function and endpoint components are not generated, so their lists stay empty. */
export const manifestSchema = z.strictObject({
  fileVersion: z.literal(MANIFEST_FILE_VERSION),
  generalCodeFiles: z.strictObject({
    base: relativePath.nullable(),
    common: relativePath.nullable(),
    readme: relativePath.nullable(),
    groups: relativePath.nullable(),
  }),
  components: z.strictObject({
    connection: componentsOf('connection', connectionMetadata),
    webhook: componentsOf('webhook', webhookMetadata),
    module: componentsOf('module', moduleMetadata),
    rpc: componentsOf('rpc', rpcMetadata),
    function: z.strictObject({}),
    endpoint: z.strictObject({}),
  }),
  origins: z.array(originSchema),
});

/** `modules/groups.json`: the sections a user sees in the module picker. */
export const groupsSchema = z.array(
  z.strictObject({
    label: plainString.min(1),
    modules: z.array(plainString.regex(componentIdPatterns.module)).min(1),
  }),
);

export type ManifestSpec = z.infer<typeof manifestSchema>;
export type OriginSpec = z.infer<typeof originSchema>;

import { buildBase } from './app/base.js';
import { buildConnection } from './app/connection.js';
import { buildContactModules } from './app/contact-modules.js';
import { buildEventTrigger } from './app/event-triggers.js';
import { buildGroups } from './app/groups.js';
import { buildEventTypesRpc, buildPublishEventModule } from './app/publish-event.js';
import { buildReadme } from './app/readme.js';
import { catalogInput, type EventTypeInput, type GeneratorInput } from './input.js';
import { layoutApp, type GeneratedFile } from './layout.js';
import { componentIdPatterns, type ComponentKind } from './make-format.js';
import type { MakeAppModel } from './model.js';
import { validateAppFiles } from './validation/validate-app.js';

/** Thrown when the generated app fails its own validation; `problems` lists every finding. */
export class GenerationError extends Error {
  constructor(readonly problems: string[]) {
    super(`the generated Make app is invalid:\n- ${problems.join('\n- ')}`);
    this.name = 'GenerationError';
  }
}

/**
 * Builds the in-memory app: connection, base, one webhook and instant trigger per event type, the contact
 * modules, Publish an Event, the event types RPC, groups and README. Throws an `Error` when two components would
 * share an id or an id breaks Make's id rules.
 */
export function buildModel(input: GeneratorInput): MakeAppModel {
  const exampleEvent = shortestSample(input.eventTypes);
  if (!exampleEvent) {
    throw new Error('the catalog has no event types; the Make app needs at least one');
  }

  const connection = buildConnection(input.brand);
  const triggers = input.eventTypes.map((event) => ({
    event,
    ...buildEventTrigger(event, connection.id),
  }));
  const contactModules = buildContactModules(connection.id);
  const publishEvent = buildPublishEventModule(connection.id, exampleEvent);
  const rpc = buildEventTypesRpc(connection.id);
  const modules = [...triggers.map((trigger) => trigger.module), ...contactModules, publishEvent];

  checkIds('connection', [connection.id]);
  checkIds(
    'webhook',
    triggers.map((trigger) => trigger.webhook.id),
  );
  checkIds(
    'module',
    modules.map((module) => module.id),
  );
  checkIds('rpc', [rpc.id]);

  return {
    base: buildBase(),
    readme: buildReadme(input.brand, modules, input.eventTypes),
    groups: buildGroups(
      triggers.map((trigger) => ({ module: trigger.module, eventType: trigger.event.type })),
      [
        { label: 'Contacts', moduleIds: contactModules.map((module) => module.id) },
        { label: 'Events', moduleIds: [publishEvent.id] },
      ],
    ),
    connection,
    webhooks: triggers.map((trigger) => trigger.webhook),
    modules,
    rpcs: [rpc],
    origins: input.origins,
  };
}

/**
 * Generates every file of the Make app from the catalog (by default the one of `@app/api-client`) and validates
 * the result against Make's formats before returning it. Throws `GenerationError` when validation fails.
 */
export function generateMakeApp(input: GeneratorInput = catalogInput()): GeneratedFile[] {
  const files = layoutApp(buildModel(input));

  const validation = validateAppFiles(new Map(files.map((file) => [file.path, file.contents])));
  if (validation.errors.length > 0) {
    throw new GenerationError(validation.errors);
  }
  return files;
}

/** Returns the event type whose sample data is shortest as JSON (the first of equals), to quote in help text. */
function shortestSample(events: EventTypeInput[]): EventTypeInput | undefined {
  let shortest: EventTypeInput | undefined;
  let shortestLength = Number.POSITIVE_INFINITY;
  for (const event of events) {
    const length = JSON.stringify(event.sample['data'] ?? null).length;
    if (length < shortestLength) {
      shortest = event;
      shortestLength = length;
    }
  }
  return shortest;
}

function checkIds(kind: ComponentKind, ids: string[]): void {
  const seen = new Set<string>();
  for (const id of ids) {
    if (!componentIdPatterns[kind].test(id)) {
      throw new Error(
        `${kind} id "${id}" does not match Make's rule ${componentIdPatterns[kind].source}; rename the event type or module`,
      );
    }
    if (seen.has(id)) {
      throw new Error(`two ${kind} components would share the id "${id}"`);
    }
    seen.add(id);
  }
}

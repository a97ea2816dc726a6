import { parseTemplate, walkIml, type ImlNode } from './iml.js';
import type { Code, Communication, ParsedApp } from './parsed-app.js';
import type { ParameterSpec } from './parameter-schema.js';
import type { RequestSpec } from './request-schema.js';

/**
 * Checks that every IML expression of an app refers to something that exists where it is evaluated.
 * `parameters.x` must be a parameter the component declares and `connection.x` a connection parameter.
 * `webhook.x` must be `url` in attach, or elsewhere a key that attach stores in `response.data`. `item` is only
 * available where a response is iterated, and `body`, `headers` and `statusCode` only where a response exists.
 * Function calls must be ones this generator emits, with the right number of arguments.
 */

/** IML functions the generator may emit, with their argument counts. The tests' evaluator implements the same. */
export const imlFunctions: Record<string, { min: number; max: number }> = {
  ifempty: { min: 2, max: 2 },
  if: { min: 3, max: 3 },
  omit: { min: 2, max: Number.POSITIVE_INFINITY },
};

/** Names a root may be followed by, or `any` when the value comes from a server and is not known here. */
type Allowed = ReadonlySet<string> | 'any';

type Scope = ReadonlyMap<string, Allowed>;

const RESPONSE_ROOTS: [string, Allowed][] = [
  ['body', 'any'],
  ['headers', 'any'],
  ['statusCode', 'any'],
];

/** Returns one message per expression that refers to something undeclared; an empty list when all resolve. */
export function checkImlReferences(app: ParsedApp): string[] {
  const errors: string[] = [];

  const connectionParameters = new Map(
    [...app.connections].map(([id, connection]) => [id, namesOf(connection.params.value)] as const),
  );
  const connectionScope = (id: string | null): [string, Allowed][] => {
    const names = id === null ? undefined : connectionParameters.get(id);
    return names ? [['connection', names]] : [];
  };

  const baseConnectionNames = intersect([...connectionParameters.values()]);
  checkRequestLike(
    app.base.value,
    app.base.path,
    scope([['connection', baseConnectionNames]]),
    errors,
  );

  for (const connection of app.connections.values()) {
    const request = scope([['parameters', namesOf(connection.params.value)]]);
    checkCommunication(connection.communication, request, errors);
  }

  for (const webhook of app.webhooks.values()) {
    const parameters: [string, Allowed] = ['parameters', namesOf(webhook.params.value)];
    const stored = new Set(Object.keys(webhook.attach.value.response?.data ?? {}));
    const common = [parameters, ...connectionScope(webhook.connection)];

    checkRequestLike(
      webhook.attach.value,
      webhook.attach.path,
      scope([...common, ['webhook', new Set(['url'])]]),
      errors,
    );
    checkRequestLike(
      webhook.detach.value,
      webhook.detach.path,
      scope([...common, ['webhook', stored]]),
      errors,
    );
    checkValue(webhook.communication.value, {
      file: webhook.communication.path,
      jsonPath: [],
      scope: scope([...common, ...RESPONSE_ROOTS, ['query', 'any'], ['webhook', stored]]),
      declaredParameters: namesOf(webhook.params.value),
      errors,
    });
  }

  for (const module of app.modules.values()) {
    if (!module.communication) {
      continue;
    }
    const declared = new Set([
      ...namesOf(module.staticParams.value),
      ...namesOf(module.mappableParams?.value ?? []),
    ]);
    const request = scope([['parameters', declared], ...connectionScope(module.connection)]);
    checkCommunication(module.communication, request, errors);
  }

  for (const rpc of app.rpcs.values()) {
    const request = scope([
      ['parameters', namesOf(rpc.params.value)],
      ...connectionScope(rpc.connection),
    ]);
    checkCommunication(rpc.communication, request, errors);
  }

  return errors;
}

function checkCommunication(
  code: Code<Communication>,
  requestScope: Scope,
  errors: string[],
): void {
  const requests = Array.isArray(code.value) ? code.value : [code.value];
  requests.forEach((request, index) =>
    checkRequestLike(
      request,
      Array.isArray(code.value) ? `${code.path}[${index}]` : code.path,
      requestScope,
      errors,
    ),
  );
}

/**
 * Checks a request (or the base). The request part can read the request scope, `response` and `pagination` can
 * also read the response, and `response.output`, `response.wrapper` and the iterate condition can also read
 * `item` when the response is iterated.
 */
function checkRequestLike(
  request: Partial<RequestSpec> & Record<string, unknown>,
  file: string,
  requestScope: Scope,
  errors: string[],
): void {
  const declaredParameters = requestScope.get('parameters');
  const responseScope = extend(requestScope, RESPONSE_ROOTS);
  const itemScope = extend(responseScope, [['item', 'any']]);
  const iterated = request.response?.iterate !== undefined;

  for (const [key, value] of Object.entries(request)) {
    if (key === 'response' && value !== null && typeof value === 'object') {
      for (const [responseKey, responseValue] of Object.entries(value)) {
        const sees =
          iterated && (responseKey === 'output' || responseKey === 'wrapper')
            ? itemScope
            : responseScope;
        const iterateCondition =
          responseKey === 'iterate' && responseValue !== null && typeof responseValue === 'object';
        checkValue(responseValue, {
          file,
          jsonPath: ['response', responseKey],
          scope: sees,
          declaredParameters,
          errors,
          itemScopeForKeys: iterateCondition
            ? { keys: new Set(['condition']), scope: itemScope }
            : undefined,
        });
      }
      continue;
    }

    checkValue(value, {
      file,
      jsonPath: [key],
      scope: key === 'pagination' ? responseScope : requestScope,
      declaredParameters,
      errors,
    });
  }
}

interface CheckContext {
  file: string;
  jsonPath: (string | number)[];
  scope: Scope;
  declaredParameters: Allowed | undefined;
  errors: string[];
  /** Keys of the current object whose values also see `item`. */
  itemScopeForKeys?: { keys: ReadonlySet<string>; scope: Scope } | undefined;
}

function checkValue(value: unknown, context: CheckContext): void {
  if (typeof value === 'string') {
    checkString(value, context);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) =>
      checkValue(item, { ...context, jsonPath: [...context.jsonPath, index] }),
    );
    return;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const special = context.itemScopeForKeys?.keys.has(key)
        ? context.itemScopeForKeys.scope
        : context.scope;
      checkValue(child, {
        ...context,
        scope: special,
        itemScopeForKeys: undefined,
        jsonPath: [...context.jsonPath, key],
      });
    }
  }
}

function checkString(text: string, context: CheckContext): void {
  const where = `${context.file}: ${formatJsonPath(context.jsonPath)}`;
  let parts;
  try {
    parts = parseTemplate(text);
  } catch (error) {
    context.errors.push(`${where}: ${(error as Error).message}`);
    return;
  }

  for (const part of parts) {
    if (part.kind !== 'expression') {
      continue;
    }
    walkIml(part.node, (node) => {
      const problem = checkNode(node, context);
      if (problem) {
        context.errors.push(`${where}: {{${part.source}}} ${problem}`);
      }
    });
  }
}

function checkNode(node: ImlNode, context: CheckContext): string | undefined {
  switch (node.kind) {
    case 'path':
      return checkPath(node.segments, context.scope);
    case 'call':
      return checkCall(node, context);
    case 'literal':
    case 'add':
      return undefined;
    default: {
      const unreachable: never = node;
      return `has an unknown node ${JSON.stringify(unreachable)}`;
    }
  }
}

function checkPath(segments: string[], scope: Scope): string | undefined {
  const [root, property] = segments;
  if (root === undefined) {
    return 'has an empty path';
  }
  const allowed = scope.get(root);
  if (allowed === undefined) {
    return `refers to "${root}", which is not available here (available: ${[...scope.keys()].join(', ') || 'nothing'})`;
  }
  if (allowed === 'any' || property === undefined || allowed.has(property)) {
    return undefined;
  }
  return `refers to ${root}.${property}, which is not declared (declared: ${[...allowed].join(', ') || 'none'})`;
}

function checkCall(
  node: Extract<ImlNode, { kind: 'call' }>,
  context: CheckContext,
): string | undefined {
  const signature = Object.hasOwn(imlFunctions, node.name) ? imlFunctions[node.name] : undefined;
  if (!signature) {
    return `calls ${node.name}(), which is not one of the functions this generator emits (${Object.keys(imlFunctions).join(', ')})`;
  }
  if (node.args.length < signature.min || node.args.length > signature.max) {
    return `calls ${node.name}() with ${node.args.length} arguments`;
  }

  if (node.name === 'omit') {
    const [target, ...keys] = node.args;
    const declared = context.declaredParameters;
    const omitsParameters =
      target?.kind === 'path' &&
      target.segments.length === 1 &&
      target.segments[0] === 'parameters';
    for (const key of keys) {
      if (key.kind !== 'literal' || typeof key.value !== 'string') {
        return 'passes omit() a key that is not a string literal';
      }
      if (
        omitsParameters &&
        declared !== undefined &&
        declared !== 'any' &&
        !declared.has(key.value)
      ) {
        return `omits parameters.${key.value}, which is not declared`;
      }
    }
  }
  return undefined;
}

function namesOf(parameters: ParameterSpec[]): ReadonlySet<string> {
  return new Set(parameters.map((parameter) => parameter.name));
}

function intersect(sets: ReadonlySet<string>[]): ReadonlySet<string> {
  const [first, ...rest] = sets;
  if (!first) {
    return new Set();
  }
  return new Set([...first].filter((name) => rest.every((set) => set.has(name))));
}

function scope(entries: [string, Allowed][]): Scope {
  return new Map(entries);
}

function extend(base: Scope, entries: [string, Allowed][]): Scope {
  return new Map([...base, ...entries]);
}

function formatJsonPath(path: (string | number)[]): string {
  return path.length === 0
    ? '(root)'
    : path.map((segment) => (typeof segment === 'number' ? `[${segment}]` : segment)).join('.');
}

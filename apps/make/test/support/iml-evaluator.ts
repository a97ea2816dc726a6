import { parseTemplate, singleExpression, type ImlNode } from '../../src/validation/iml';

/** Variables an expression can read, such as `parameters`, `connection`, `body` or `item`. */
export type ImlContext = Record<string, unknown>;

/**
 * Evaluates one IML string the way Make does for the subset this generator emits. A string that is exactly one
 * `{{...}}` keeps the value's type, so an object stays an object. Any other string is text with each expression's
 * value inserted, where undefined and null become empty text.
 */
export function evaluateTemplate(text: string, context: ImlContext): unknown {
  const parts = parseTemplate(text);
  const only = singleExpression(parts);
  if (only) {
    return evaluateNode(only, context);
  }
  return parts
    .map((part) => (part.kind === 'text' ? part.text : toText(evaluateNode(part.node, context))))
    .join('');
}

/**
 * Evaluates every string of a JSON value as IML. Object keys whose value evaluates to undefined are dropped, as
 * they are when Make serialises a body or query string.
 */
export function evaluateValue(value: unknown, context: ImlContext): unknown {
  if (typeof value === 'string') {
    return evaluateTemplate(value, context);
  }
  if (Array.isArray(value)) {
    return value.map((item) => evaluateValue(item, context));
  }
  if (value !== null && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      const evaluated = evaluateValue(child, context);
      if (evaluated !== undefined) {
        result[key] = evaluated;
      }
    }
    return result;
  }
  return value;
}

/** Evaluates a parsed expression. Throws an `Error` for a function outside the subset. */
export function evaluateNode(node: ImlNode, context: ImlContext): unknown {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'path':
      return readPath(context, node.segments);
    case 'add': {
      const left = evaluateNode(node.left, context);
      const right = evaluateNode(node.right, context);
      return typeof left === 'number' && typeof right === 'number'
        ? left + right
        : toText(left) + toText(right);
    }
    case 'call':
      return callFunction(node.name, node.args, context);
    default: {
      const unreachable: never = node;
      throw new Error(`unknown IML node ${JSON.stringify(unreachable)}`);
    }
  }
}

function callFunction(name: string, args: ImlNode[], context: ImlContext): unknown {
  switch (name) {
    case 'ifempty': {
      const [value, fallback] = args;
      const first = value ? evaluateNode(value, context) : undefined;
      return isEmpty(first) && fallback ? evaluateNode(fallback, context) : first;
    }
    case 'if': {
      const [condition, then, otherwise] = args;
      const chosen = condition && evaluateNode(condition, context) ? then : otherwise;
      return chosen ? evaluateNode(chosen, context) : undefined;
    }
    case 'omit': {
      const [target, ...keys] = args;
      const object = target ? evaluateNode(target, context) : undefined;
      if (object === null || typeof object !== 'object') {
        return object;
      }
      const omitted = new Set(keys.map((key) => String(evaluateNode(key, context))));
      return Object.fromEntries(Object.entries(object).filter(([key]) => !omitted.has(key)));
    }
    default:
      throw new Error(`IML function ${name}() is outside the subset this evaluator implements`);
  }
}

function readPath(context: ImlContext, segments: string[]): unknown {
  let current: unknown = context;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') {
      return undefined;
    }
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** Make's `ifempty` treats undefined, null and the empty string as empty. */
function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

function toText(value: unknown): string {
  if (value === undefined || value === null) {
    return '';
  }
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

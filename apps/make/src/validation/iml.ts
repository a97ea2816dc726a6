/**
 * A parser for the subset of IML (Make's `{{...}}` expression language) that this generator emits: paths
 * (`parameters.email`, `body.next_cursor`), string and number literals, `true`, `false`, `null`, function calls
 * (`ifempty(a, b)`) and `+`. The validation uses it to reject malformed expressions and to find every reference;
 * the tests' evaluator uses the same tree to run requests.
 */

/** A node of a parsed expression. */
export type ImlNode =
  | { kind: 'literal'; value: string | number | boolean | null }
  | { kind: 'path'; segments: string[] }
  | { kind: 'call'; name: string; args: ImlNode[] }
  | { kind: 'add'; left: ImlNode; right: ImlNode };

/** A piece of an IML string: literal text, or one `{{...}}` expression. */
export type TemplatePart =
  { kind: 'text'; text: string } | { kind: 'expression'; source: string; node: ImlNode };

/** Thrown when a string contains an IML expression this parser cannot read. */
export class ImlSyntaxError extends Error {
  constructor(
    message: string,
    readonly source: string,
  ) {
    super(`${message} in IML "${source}"`);
    this.name = 'ImlSyntaxError';
  }
}

/** Returns true when the string contains at least one `{{`, the start of an IML expression. */
export function containsIml(text: string): boolean {
  return text.includes('{{');
}

/** Splits a string into text and parsed `{{...}}` expressions. Throws `ImlSyntaxError` on malformed input. */
export function parseTemplate(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let position = 0;

  while (position < text.length) {
    const start = text.indexOf('{{', position);
    if (start === -1) {
      parts.push({ kind: 'text', text: text.slice(position) });
      break;
    }
    if (start > position) {
      parts.push({ kind: 'text', text: text.slice(position, start) });
    }

    const end = findExpressionEnd(text, start + 2);
    const source = text.slice(start + 2, end);
    parts.push({ kind: 'expression', source, node: parseExpression(source) });
    position = end + 2;
  }

  const strayClose = parts.find((part) => part.kind === 'text' && part.text.includes('}}'));
  if (strayClose) {
    throw new ImlSyntaxError('unexpected "}}" outside an expression', text);
  }
  return parts;
}

/** Returns the single expression when the whole string is exactly one `{{...}}`, which keeps the value's type. */
export function singleExpression(parts: TemplatePart[]): ImlNode | undefined {
  const [only] = parts;
  return parts.length === 1 && only?.kind === 'expression' ? only.node : undefined;
}

/** Calls `visit` for every node of the tree, parents first. */
export function walkIml(node: ImlNode, visit: (node: ImlNode) => void): void {
  visit(node);
  switch (node.kind) {
    case 'call':
      node.args.forEach((arg) => walkIml(arg, visit));
      break;
    case 'add':
      walkIml(node.left, visit);
      walkIml(node.right, visit);
      break;
    case 'literal':
    case 'path':
      break;
    default: {
      const unreachable: never = node;
      throw new Error(`unknown IML node ${JSON.stringify(unreachable)}`);
    }
  }
}

function findExpressionEnd(text: string, from: number): number {
  let quote: string | undefined;
  for (let index = from; index < text.length; index += 1) {
    const char = text.charAt(index);
    if (quote) {
      if (char === '\\') {
        index += 1;
      } else if (char === quote) {
        quote = undefined;
      }
      continue;
    }
    if (char === "'" || char === '"') {
      quote = char;
      continue;
    }
    if (char === '}' && text.charAt(index + 1) === '}') {
      return index;
    }
  }
  throw new ImlSyntaxError('missing "}}" after "{{"', text);
}

type Token =
  | { kind: 'identifier'; value: string }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'punctuation'; value: '.' | ',' | '(' | ')' | '+' };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;

  while (index < source.length) {
    const char = source.charAt(index);
    if (/\s/.test(char)) {
      index += 1;
      continue;
    }
    if (char === '.' || char === ',' || char === '(' || char === ')' || char === '+') {
      tokens.push({ kind: 'punctuation', value: char });
      index += 1;
      continue;
    }
    if (char === "'" || char === '"') {
      const { value, next } = readString(source, index);
      tokens.push({ kind: 'string', value });
      index = next;
      continue;
    }
    const number = /^\d+(?:\.\d+)?/.exec(source.slice(index));
    if (number) {
      tokens.push({ kind: 'number', value: Number(number[0]) });
      index += number[0].length;
      continue;
    }
    const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(source.slice(index));
    if (identifier) {
      tokens.push({ kind: 'identifier', value: identifier[0] });
      index += identifier[0].length;
      continue;
    }
    throw new ImlSyntaxError(`unexpected character "${char}" at offset ${index}`, source);
  }
  return tokens;
}

function readString(source: string, start: number): { value: string; next: number } {
  const quote = source.charAt(start);
  let value = '';
  for (let index = start + 1; index < source.length; index += 1) {
    const char = source.charAt(index);
    if (char === '\\') {
      value += source.charAt(index + 1);
      index += 1;
      continue;
    }
    if (char === quote) {
      return { value, next: index + 1 };
    }
    value += char;
  }
  throw new ImlSyntaxError('unterminated string literal', source);
}

/** Parses one expression (the text between `{{` and `}}`). Throws `ImlSyntaxError` on malformed input. */
export function parseExpression(source: string): ImlNode {
  const tokens = tokenize(source);
  if (tokens.length === 0) {
    throw new ImlSyntaxError('empty expression', source);
  }

  let position = 0;
  const peek = (): Token | undefined => tokens[position];
  const isPunctuation = (value: string): boolean => {
    const token = peek();
    return token?.kind === 'punctuation' && token.value === value;
  };
  const expect = (value: string): void => {
    if (!isPunctuation(value)) {
      throw new ImlSyntaxError(`expected "${value}" at token ${position + 1}`, source);
    }
    position += 1;
  };

  const parseAdditive = (): ImlNode => {
    let left = parsePrimary();
    while (isPunctuation('+')) {
      position += 1;
      left = { kind: 'add', left, right: parsePrimary() };
    }
    return left;
  };

  const parsePrimary = (): ImlNode => {
    const token = peek();
    if (token === undefined) {
      throw new ImlSyntaxError('unexpected end of expression', source);
    }
    position += 1;

    switch (token.kind) {
      case 'string':
      case 'number':
        return { kind: 'literal', value: token.value };
      case 'punctuation': {
        if (token.value !== '(') {
          throw new ImlSyntaxError(`unexpected "${token.value}"`, source);
        }
        const inner = parseAdditive();
        expect(')');
        return inner;
      }
      case 'identifier':
        return parseIdentifier(token.value);
      default: {
        const unreachable: never = token;
        throw new ImlSyntaxError(`unknown token ${JSON.stringify(unreachable)}`, source);
      }
    }
  };

  const parseIdentifier = (name: string): ImlNode => {
    if (isPunctuation('(')) {
      position += 1;
      const args: ImlNode[] = [];
      if (!isPunctuation(')')) {
        args.push(parseAdditive());
        while (isPunctuation(',')) {
          position += 1;
          args.push(parseAdditive());
        }
      }
      expect(')');
      return { kind: 'call', name, args };
    }

    if (name === 'true' || name === 'false') {
      return { kind: 'literal', value: name === 'true' };
    }
    if (name === 'null') {
      return { kind: 'literal', value: null };
    }

    const segments = [name];
    while (isPunctuation('.')) {
      position += 1;
      const next = peek();
      if (next?.kind !== 'identifier') {
        throw new ImlSyntaxError('expected a property name after "."', source);
      }
      segments.push(next.value);
      position += 1;
    }
    return { kind: 'path', segments };
  };

  const node = parseAdditive();
  if (position !== tokens.length) {
    throw new ImlSyntaxError(
      `unexpected token ${position + 1} after a complete expression`,
      source,
    );
  }
  return node;
}

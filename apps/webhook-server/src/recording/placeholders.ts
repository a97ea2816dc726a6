// Replaces the values that change on every recording run with stable placeholders, so recorded responses can be
// committed and compared byte for byte. test-fixtures/README.md documents the same rules for readers of the files.

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ULID_TIME_LENGTH = 10;
const ULID_RANDOM_LENGTH = 16;

/** Time that replaces every timestamp the server produced during the run. */
export const PLACEHOLDER_TIME = '2026-01-01T00:00:00.000Z';

/** Value that replaces every `webhook-signature` entry; the signed bytes differ on every run. */
export const PLACEHOLDER_SIGNATURE = `v1,${Buffer.alloc(32).toString('base64')}`;

// Ids (`con_01KP...`), ISO timestamps with milliseconds, signing secrets and Standard Webhooks signatures.
const ID_PATTERN = /\b([a-z]+)_([0-9A-HJKMNP-TV-Z]{26})\b/g;
const TIMESTAMP_PATTERN = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z\b/g;
const SECRET_PATTERN = /whsec_[A-Za-z0-9+/]+={0,2}/g;
const SIGNATURE_PATTERN = /\bv1,[A-Za-z0-9+/]{43}=/g;

/** Options of `Placeholders`. */
export interface PlaceholderOptions {
  /**
   * Milliseconds range of the run, margins included. Only ids whose ULID time falls inside it, and timestamps inside
   * it, are replaced. So fixed values such as catalog samples (dated months earlier) stay as the server sent them.
   */
  window: { startMs: number; endMs: number };
  /** Exact strings to replace wherever they occur, such as the receiver's origin with its random port. */
  literals: ReadonlyArray<readonly [from: string, to: string]>;
}

/**
 * Maps volatile values to stable placeholders. One instance is used for a whole recording, so an id keeps the same
 * placeholder in every file it appears in, and placeholders are assigned in the order values are first seen:
 *
 * - an id becomes the same prefix and 26 Crockford base32 characters: the ULID time of `PLACEHOLDER_TIME`, then a
 *   counter shared by all prefixes (`con_01KDVDNA000000000000000003`);
 * - a timestamp becomes `PLACEHOLDER_TIME`;
 * - the n-th distinct secret becomes `whsec_` and the base64 of 32 bytes of value n;
 * - a webhook signature becomes `PLACEHOLDER_SIGNATURE`;
 * - `duration_ms` becomes 0, and `next_cursor` is decoded, its id replaced and encoded again.
 */
export class Placeholders {
  private readonly ids = new Map<string, string>();
  private readonly secrets = new Map<string, string>();

  constructor(private readonly options: PlaceholderOptions) {}

  /** Returns a deep copy of `value` with every volatile value replaced. */
  replaceValue(value: unknown, key?: string): unknown {
    if (typeof value === 'string') {
      return key === 'next_cursor' ? this.replaceCursor(value) : this.replaceText(value);
    }
    if (typeof value === 'number') {
      return key === 'duration_ms' ? 0 : value;
    }
    if (Array.isArray(value)) {
      return value.map((item) => this.replaceValue(item));
    }
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([name, item]) => [name, this.replaceValue(item, name)]),
      );
    }
    return value;
  }

  /** Replaces every volatile value inside a string, such as a path or a problem's `detail`. */
  replaceText(text: string): string {
    let result = text;
    for (const [from, to] of this.options.literals) {
      result = result.split(from).join(to);
    }

    return result
      .replace(ID_PATTERN, (id: string, prefix: string, ulid: string) =>
        this.isInWindow(decodeUlidTime(ulid)) ? this.placeholderId(id, prefix) : id,
      )
      .replace(TIMESTAMP_PATTERN, (timestamp) =>
        this.isInWindow(Date.parse(timestamp)) ? PLACEHOLDER_TIME : timestamp,
      )
      .replace(SECRET_PATTERN, (secret) => this.placeholderSecret(secret))
      .replace(SIGNATURE_PATTERN, PLACEHOLDER_SIGNATURE);
  }

  // The server's cursors are the base64url of the last id on the page.
  private replaceCursor(cursor: string): string {
    const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
    const replaced = this.replaceText(decoded);
    return replaced === decoded ? cursor : Buffer.from(replaced, 'utf8').toString('base64url');
  }

  private isInWindow(ms: number): boolean {
    return ms >= this.options.window.startMs && ms <= this.options.window.endMs;
  }

  private placeholderId(id: string, prefix: string): string {
    let placeholder = this.ids.get(id);
    if (placeholder === undefined) {
      const ordinal = encodeBase32(this.ids.size + 1, ULID_RANDOM_LENGTH);
      placeholder = `${prefix}_${encodeBase32(Date.parse(PLACEHOLDER_TIME), ULID_TIME_LENGTH)}${ordinal}`;
      this.ids.set(id, placeholder);
    }
    return placeholder;
  }

  private placeholderSecret(secret: string): string {
    let placeholder = this.secrets.get(secret);
    if (placeholder === undefined) {
      const fill = (this.secrets.size + 1) % 256;
      placeholder = `whsec_${Buffer.alloc(32, fill).toString('base64')}`;
      this.secrets.set(secret, placeholder);
    }
    return placeholder;
  }
}

// Returns the millisecond time stored in the first 10 characters of a ULID.
function decodeUlidTime(ulid: string): number {
  let ms = 0;
  for (const character of ulid.slice(0, ULID_TIME_LENGTH)) {
    ms = ms * 32 + CROCKFORD.indexOf(character);
  }
  return ms;
}

function encodeBase32(value: number, length: number): string {
  let remaining = value;
  let text = '';
  for (let i = 0; i < length; i += 1) {
    text = CROCKFORD.charAt(remaining % 32) + text;
    remaining = Math.floor(remaining / 32);
  }
  return text;
}

import { randomBytes } from 'node:crypto';

// Crockford's base32: no I, L, O or U, so ids survive being read aloud or retyped.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TIME_LENGTH = 10;
const RANDOM_LENGTH = 16;
// The ULID time field is 48 bits of milliseconds, which lasts until the year 10889.
const MAX_TIME = 2 ** 48 - 1;

/** Resource prefixes, which show a reader what an id refers to. */
export const idPrefixes = {
  account: 'acct',
  apiKey: 'key',
  contact: 'con',
  delivery: 'dlv',
  endpoint: 'ep',
  event: 'evt',
  invoice: 'inv',
  report: 'rep',
} as const;

/** Kind of resource an id refers to, such as `event` or `contact`. */
export type IdKind = keyof typeof idPrefixes;

/**
 * Creates a new id such as `evt_01JD3Q...`: the prefix, then a ULID (48-bit millisecond time and 80 random bits).
 * Ids of one kind sort by creation time, which the API's cursors rely on. Within one process, ids made in the same
 * millisecond also sort in the order they were made (the random part counts up, as in monotonic ULIDs). Throws a `RangeError` when `now` is not an
 * integer between 0 (1970) and 2^48 - 1 milliseconds, which the ULID time field cannot hold.
 */
export function newId(kind: IdKind, now: number = Date.now()): string {
  if (!Number.isInteger(now) || now < 0 || now > MAX_TIME) {
    throw new RangeError(
      `id time must be an integer of milliseconds from 0 to ${MAX_TIME}, got ${now}`,
    );
  }
  return `${idPrefixes[kind]}_${encodeTime(now)}${nextRandom(now)}`;
}

/** Returns true when `value` looks like an id of this kind. */
export function isId(kind: IdKind, value: string): boolean {
  return new RegExp(`^${idPrefixes[kind]}_[0-9A-HJKMNP-TV-Z]{26}$`).test(value);
}

function encodeTime(now: number): string {
  let remaining = now;
  let text = '';
  for (let i = 0; i < TIME_LENGTH; i += 1) {
    text = ALPHABET.charAt(remaining % 32) + text;
    remaining = Math.floor(remaining / 32);
  }
  return text;
}

let lastTime = -1;
let lastDigits: number[] = [];

// Returns the random part: fresh digits for a new millisecond, the previous digits plus one for a repeated one.
function nextRandom(now: number): string {
  if (now === lastTime && incrementDigits(lastDigits)) {
    return lastDigits.map((digit) => ALPHABET.charAt(digit)).join('');
  }

  lastTime = now;
  lastDigits = [...randomBytes(RANDOM_LENGTH)].map((byte) => byte % 32);
  return lastDigits.map((digit) => ALPHABET.charAt(digit)).join('');
}

// Adds one to base-32 digits in place; returns false on overflow, which starts a fresh random part instead.
function incrementDigits(digits: number[]): boolean {
  for (let i = digits.length - 1; i >= 0; i -= 1) {
    const digit = digits[i] ?? 0;
    if (digit < 31) {
      digits[i] = digit + 1;
      return true;
    }
    digits[i] = 0;
  }
  return false;
}

import { createHash, randomBytes } from 'node:crypto';

import { brand } from '@app/api-client';

const KEY_RANDOM_BYTES = 24;

/** A newly created API key: the full key (shown once) and what is stored about it. */
export interface GeneratedApiKey {
  key: string;
  hash: string;
  displayPrefix: string;
}

/**
 * Creates an API key: the brand prefix, `live`, 192 random bits in base64url and a 6-character checksum, such as
 * `acme_live_<32 chars><6 chars>`. The checksum lets secret scanners recognise a key offline.
 */
export function generateApiKey(): GeneratedApiKey {
  const body = `${brand.apiKeyPrefix}_live_${randomBytes(KEY_RANDOM_BYTES).toString('base64url')}`;
  const key = body + checksum(body);
  return { key, hash: hashApiKey(key), displayPrefix: displayPrefix(key) };
}

/** Returns the SHA-256 hex digest under which a key is stored and looked up. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Returns the part of a key that listings show: enough to tell keys apart, far too little to use one. */
export function displayPrefix(key: string): string {
  return key.slice(0, Math.min(key.length - 8, brand.apiKeyPrefix.length + 10));
}

function checksum(body: string): string {
  return createHash('sha256').update(body).digest('base64url').slice(0, 6);
}

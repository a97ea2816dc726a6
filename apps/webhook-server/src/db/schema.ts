import type { Generated } from 'kysely';

// Storage conventions, identical on SQLite and PostgreSQL so every query is written once:
// - times are integer milliseconds since the Unix epoch (`bigint` on PostgreSQL, parsed back into numbers);
// - booleans are integers 0 and 1;
// - JSON documents are text, stored exactly as they are sent or returned.

export interface AccountsTable {
  id: string;
  name: string;
  created_at: number;
}

export interface ApiKeysTable {
  id: string;
  account_id: string;
  name: string;
  /** First characters of the key, shown in listings so a person can tell keys apart. */
  display_prefix: string;
  /** SHA-256 of the whole key, hex; the key itself is never stored. */
  key_hash: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface ContactsTable {
  id: string;
  account_id: string;
  email: string;
  /** Lower-cased email, unique per account. */
  email_normalized: string;
  first_name: string | null;
  last_name: string | null;
  company: string | null;
  phone: string | null;
  /** JSON array of strings. */
  tags: string;
  created_at: number;
  updated_at: number;
}

export interface EventsTable {
  id: string;
  account_id: string;
  type: string;
  /** The envelope as JSON text, byte for byte what endpoints receive. */
  payload: string;
  /** 1 for samples sent by the test-event route; they are not listed by `GET /v1/events`. */
  is_test: number;
  created_at: number;
}

export interface EndpointsTable {
  id: string;
  account_id: string;
  url: string;
  description: string;
  /** JSON array of event types, or null for every type. */
  event_types: string | null;
  enabled: number;
  disabled_reason: string | null;
  /** Current signing secret, encrypted (see security/secret-box.ts). */
  secret_encrypted: string;
  /** Secret replaced by the last rotation; it keeps signing until `previous_secret_expires_at`. */
  previous_secret_encrypted: string | null;
  previous_secret_expires_at: number | null;
  created_at: number;
  updated_at: number;
  /** Set by delete; deleted endpoints are hidden from the API but their delivery log stays. */
  deleted_at: number | null;
}

export interface DeliveriesTable {
  id: string;
  account_id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  /** pending, succeeded or failed. */
  status: string;
  attempt_count: number;
  /** Scheduled attempts made so far; decides the next delay of the retry schedule. Manual attempts do not count. */
  scheduled_attempts: number;
  next_attempt_at: number | null;
  /** 1 when the next attempt was requested by redeliver or resend-failed. */
  manual: number;
  last_status_code: number | null;
  is_test: number;
  /** Worker that holds the delivery and when its claim expires; an expired claim may be taken again. */
  lease_owner: string | null;
  lease_expires_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface AttemptsTable {
  id: Generated<number>;
  delivery_id: string;
  attempt_number: number;
  trigger: string;
  started_at: number;
  duration_ms: number;
  status_code: number | null;
  response_excerpt: string | null;
  error: string | null;
  succeeded: number;
}

export interface IdempotencyKeysTable {
  account_id: string;
  key: string;
  /** SHA-256 of method, path and body; a reused key with a different fingerprint is rejected. */
  fingerprint: string;
  /** in_flight or completed. */
  state: string;
  response_status: number | null;
  /** Content-Type of the stored response; null for a response without a body (204). */
  response_content_type: string | null;
  /** Stored response body, encrypted like signing secrets because some responses carry one. */
  response_body: string | null;
  created_at: number;
  expires_at: number;
}

/** Type of the whole database for Kysely. */
export interface Database {
  accounts: AccountsTable;
  api_keys: ApiKeysTable;
  contacts: ContactsTable;
  events: EventsTable;
  endpoints: EndpointsTable;
  deliveries: DeliveriesTable;
  attempts: AttemptsTable;
  idempotency_keys: IdempotencyKeysTable;
}

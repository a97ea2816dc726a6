/** Names of the Standard Webhooks headers, in lower case. */
export const webhookHeaderNames = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
} as const;

/** Request headers in any of the shapes Node, fetch and web frameworks use. */
export type HeaderSource =
  { get(name: string): string | null } | Record<string, string | string[] | undefined | null>;

/** Reads one header case-insensitively; a repeated header yields its first value. */
export function readHeader(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }

  const expected = name.toLowerCase();
  for (const [key, value] of Object.entries(headers as Record<string, unknown>)) {
    if (key.toLowerCase() !== expected || value == null) {
      continue;
    }
    if (Array.isArray(value)) {
      return typeof value[0] === 'string' ? value[0] : undefined;
    }
    return typeof value === 'string' ? value : undefined;
  }
  return undefined;
}

/**
 * The product's brand, defined once. Every package (server, Zapier app, n8n nodes, Make generator) reads it, so a
 * fork renames the product here and nowhere else.
 */
export const brand = {
  /** Product name shown to users in connectors and docs. */
  name: 'Acme CRM',
  /** Lower-case identifier used for package names, node names and Make module ids. */
  slug: 'acmecrm',
  /** One sentence shown in app directories. */
  description:
    'Acme CRM keeps contacts, invoices and reports in one place and sends signed webhooks when they change.',
  /** Production API base URL, without the `/v1` suffix; connectors let users override it. */
  defaultBaseUrl: 'https://api.acmecrm.example',
  /** Page where users find or create API keys, shown in connector help text. */
  apiKeysUrl: 'https://app.acmecrm.example/settings/api-keys',
  /** Prefix of API keys, so secret scanners and humans can tell them apart from other tokens. */
  apiKeyPrefix: 'acme',
} as const;

/** Type of `brand`, with every value as a literal type. */
export type Brand = typeof brand;

/**
 * The parts of `@app/api-client` the nodes use, imported module by module.
 *
 * The package entry point also loads the REST client, whose retry loop calls `setTimeout` and whose default
 * transport is `globalThis.fetch`. n8n's cloud lint rules forbid both globals in shipped code, so the nodes import
 * only the brand, the catalog, the resource types and the signature verifier, and send their HTTP requests through
 * n8n's request helpers instead (see `transport.ts`). The build replaces the catalog module with a snapshot of its
 * titles and descriptions, because its zod schemas would bring zod, which uses `globalThis` and generates code
 * with the `Function` constructor (see scripts/build.mjs).
 */
export { brand } from '@app/api-client/src/brand.js';
export { catalog, eventTypes, type EventType } from '@app/api-client/src/catalog.js';
export type { EventEnvelope } from '@app/api-client/src/envelope.js';
export type { Contact } from '@app/api-client/src/resources/contact.js';
export type { Page } from '@app/api-client/src/resources/common.js';
export type { Endpoint, EndpointWithSecret } from '@app/api-client/src/resources/endpoint.js';
export type { Problem } from '@app/api-client/src/resources/problem.js';
export { WebhookVerificationError } from '@app/api-client/src/webhooks/errors.js';
export { readHeader } from '@app/api-client/src/webhooks/headers.js';
export { verifySignature } from '@app/api-client/src/webhooks/verify.js';

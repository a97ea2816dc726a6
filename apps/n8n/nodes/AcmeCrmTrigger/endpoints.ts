import type { IHookFunctions, IWebhookFunctions } from 'n8n-workflow';

import type { Endpoint, EndpointWithSecret, Page } from '../shared/api-client';
import { problemToNodeApiError } from '../shared/errors';
import { apiRequest, isSuccess, pathSegment, sendApiRequest } from '../shared/transport';

// Bounds the scan for leftover endpoints: at most 50 pages of 100 endpoints.
const MAX_LIST_PAGES = 50;
const PAGE_SIZE = 100;

/** Body of `POST /v1/endpoints` as the trigger sends it. */
export interface EndpointRequest {
  url: string;
  /** Event types to receive; null for every type. */
  event_types: string[] | null;
  description: string;
}

/** Returns the endpoint, or null when the API responds with 404. Throws `NodeApiError` for any other failure. */
export async function findEndpoint(
  context: IHookFunctions,
  endpointId: string,
): Promise<Endpoint | null> {
  const response = await sendApiRequest<Endpoint>(context, {
    method: 'GET',
    path: `/endpoints/${pathSegment(endpointId)}`,
  });
  if (response.statusCode === 404) {
    return null;
  }
  if (!isSuccess(response.statusCode)) {
    throw problemToNodeApiError(context.getNode(), response);
  }
  return response.body;
}

/** Creates an endpoint and returns it with its signing secret. Throws `NodeApiError` when the API rejects it. */
export async function createEndpoint(
  context: IHookFunctions,
  request: EndpointRequest,
): Promise<EndpointWithSecret> {
  return await apiRequest<EndpointWithSecret>(context, {
    method: 'POST',
    path: '/endpoints',
    body: { ...request },
  });
}

/**
 * Deletes an endpoint. A 404 counts as done, because the endpoint is gone either way. Any other failure throws
 * `NodeApiError`, so a deactivation that leaves an endpoint behind is reported to the user.
 */
export async function deleteEndpoint(context: IHookFunctions, endpointId: string): Promise<void> {
  const response = await sendApiRequest(context, {
    method: 'DELETE',
    path: `/endpoints/${pathSegment(endpointId)}`,
  });
  if (response.statusCode === 404 || isSuccess(response.statusCode)) {
    return;
  }
  throw problemToNodeApiError(context.getNode(), response);
}

/**
 * Deletes every endpoint of the account that delivers to `url`, and returns how many it deleted. n8n's webhook
 * URLs contain the workflow's webhook id, so an endpoint with this URL was created by this trigger, for example
 * in a session that n8n could not clean up after a crash.
 *
 * NOTE: only the first 5,000 endpoints of the account (50 pages) are scanned, so a leftover beyond them stays.
 */
export async function deleteEndpointsAt(context: IHookFunctions, url: string): Promise<number> {
  const leftovers: string[] = [];
  let cursor: string | undefined;

  for (let page = 0; page < MAX_LIST_PAGES; page += 1) {
    const result = await apiRequest<Page<Endpoint>>(context, {
      method: 'GET',
      path: '/endpoints',
      query: { limit: PAGE_SIZE, cursor },
    });
    leftovers.push(
      ...result.data.filter((endpoint) => endpoint.url === url).map((endpoint) => endpoint.id),
    );
    if (result.next_cursor === null) {
      break;
    }
    cursor = result.next_cursor;
  }

  for (const endpointId of leftovers) {
    await deleteEndpoint(context, endpointId);
  }
  return leftovers.length;
}

/** Returns the endpoint's current signing secret, or null when the endpoint no longer exists. */
export async function fetchEndpointSecret(
  context: IWebhookFunctions,
  endpointId: string,
): Promise<string | null> {
  const response = await sendApiRequest<{ secret: string }>(context, {
    method: 'GET',
    path: `/endpoints/${pathSegment(endpointId)}/secret`,
  });
  if (response.statusCode === 404) {
    return null;
  }
  if (!isSuccess(response.statusCode)) {
    throw problemToNodeApiError(context.getNode(), response);
  }
  return response.body.secret;
}

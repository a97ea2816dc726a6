import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { readHeader, verifySignature, WebhookVerificationError } from '../shared/api-client';
import { EndpointState } from './endpoint-state';
import { fetchEndpointSecret } from './endpoints';
import { outputMode, selectedEventTypes } from './parameters';

// Minimum time between two fetches of the endpoint's secret after signatures stop matching, in milliseconds.
const SECRET_FETCH_INTERVAL_MS = 60_000;

/** The fields of an event envelope the trigger relies on. */
interface DeliveredEvent extends IDataObject {
  event_id: string;
  event_type: string;
  created_at: string;
  data: IDataObject;
}

/**
 * Handles one delivery: verifies its Standard Webhooks signature over the raw body with the stored secret and
 * emits the event. A delivery that fails verification gets 401 and starts no execution. A verified body that is
 * not an event envelope gets 400. An event of a type the user did not select is acknowledged without an
 * execution, because a test delivery can carry any type.
 */
export async function receiveDelivery(context: IWebhookFunctions): Promise<IWebhookResponseData> {
  const request = context.getRequestObject();
  const rawBody = request.rawBody as Buffer | undefined;
  const eventId = readHeader(request.headers, 'webhook-id');
  const state = new EndpointState(context.getWorkflowStaticData('node'));

  if (rawBody === undefined) {
    context.logger.warn('rejected webhook delivery', { reason: 'missing_body', eventId });
    return respond(context, 401, {
      error: 'invalid_signature',
      reason: 'missing_body',
      message: 'the request has no raw body to verify',
    });
  }

  const failure = await verifyDelivery(context, { rawBody, headers: request.headers, state });
  if (failure !== undefined) {
    context.logger.warn('rejected webhook delivery', { reason: failure.reason, eventId });
    return respond(context, 401, {
      error: 'invalid_signature',
      reason: failure.reason,
      message: failure.message,
    });
  }

  const event = parseEvent(rawBody);
  if (event === undefined) {
    context.logger.warn('rejected webhook delivery', { reason: 'not_an_event', eventId });
    return respond(context, 400, {
      error: 'invalid_payload',
      message: 'the body is not an event envelope with event_id, event_type, created_at and data',
    });
  }

  const selected = selectedEventTypes(context);
  if (selected !== null && !selected.includes(event.event_type)) {
    return {};
  }

  const json = outputMode(context) === 'data' ? event.data : event;
  return { workflowData: [[{ json }]] };
}

interface DeliveryToVerify {
  rawBody: Buffer;
  headers: Parameters<typeof readHeader>[0];
  state: EndpointState;
}

// Returns why the delivery cannot be trusted, or undefined when its signature is valid.
async function verifyDelivery(
  context: IWebhookFunctions,
  delivery: DeliveryToVerify,
): Promise<WebhookVerificationError | undefined> {
  const { rawBody, headers, state } = delivery;
  const secret = state.secret;
  if (secret === undefined) {
    return new WebhookVerificationError(
      'no_matching_signature',
      'the trigger stores no signing secret; deactivate and activate the workflow to create a new endpoint',
    );
  }

  const failure = checkSignature(rawBody, headers, secret);
  if (failure?.reason !== 'no_matching_signature') {
    return failure;
  }

  // A secret rotated outside n8n keeps signing next to the new one for 24 hours only, after which the stored secret
  // stops matching. Fetch the current secret, at most once per interval, and adopt it when it differs.
  const endpointId = state.endpointId;
  const now = Date.now();
  if (endpointId === undefined || !state.secretFetchAllowed(now, SECRET_FETCH_INTERVAL_MS)) {
    return failure;
  }
  state.markSecretFetched(now);

  const current = await fetchEndpointSecret(context, endpointId);
  if (current === null || current === secret) {
    return failure;
  }
  state.replaceSecret(current);
  return checkSignature(rawBody, headers, current);
}

// `verifySignature` throws; an unusable stored secret (not base64) counts as a mismatch so the secret is fetched again.
function checkSignature(
  rawBody: Buffer,
  headers: DeliveryToVerify['headers'],
  secret: string,
): WebhookVerificationError | undefined {
  try {
    verifySignature(rawBody, headers, secret);
    return undefined;
  } catch (error) {
    if (error instanceof WebhookVerificationError) {
      return error;
    }
    return new WebhookVerificationError(
      'no_matching_signature',
      'the stored signing secret is not usable',
      {
        cause: error,
      },
    );
  }
}

function parseEvent(rawBody: Buffer): DeliveredEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return undefined;
  }

  const candidate = value as Partial<DeliveredEvent>;
  const data = candidate.data;
  if (
    typeof candidate.event_id !== 'string' ||
    typeof candidate.event_type !== 'string' ||
    typeof candidate.created_at !== 'string' ||
    data === null ||
    typeof data !== 'object' ||
    Array.isArray(data)
  ) {
    return undefined;
  }
  return candidate as DeliveredEvent;
}

function respond(
  context: IWebhookFunctions,
  status: number,
  body: IDataObject,
): IWebhookResponseData {
  context.getResponseObject().status(status).json(body);
  return { noWebhookResponse: true };
}

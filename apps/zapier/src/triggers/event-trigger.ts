import {
  catalog,
  sampleEvent,
  type EndpointWithSecret,
  type EventType,
  type Page,
} from '@app/api-client';
import { defineTrigger, type Bundle, type ZObject } from 'zapier-platform-core';

import { toZapierError } from '../api-errors.js';
import { apiUrl } from '../api-url.js';
import { eventItemOutputFields, nounOf, toEventItem, type EventItem } from './event-item.js';
import { readVerifiedDelivery, type Subscription } from './webhook-delivery.js';

// Zapier's editor shows a few samples; 10 recent events give the user a choice without a large response.
const DEFAULT_SAMPLE_COUNT = 10;
// The maximum page size of `GET /v1/events`.
const MAX_SAMPLE_COUNT = 100;

/** Returns the trigger key of an event type: `contact.created` becomes `contact_created`. */
export function triggerKeyOf(type: string): string {
  return type.replace(/[^A-Za-z0-9]+/g, '_');
}

/**
 * Rewrites a catalog description ("Occurs when an invoice is paid in full.") into Zapier's trigger voice
 * ("Triggers when an invoice is paid in full."). Throws when the catalog entry breaks its "Occurs when" contract.
 */
export function triggerDescriptionOf(type: string, description: string): string {
  if (!description.startsWith('Occurs when ')) {
    throw new Error(
      `The catalog description of ${type} must start with "Occurs when ", got "${description}".`,
    );
  }
  return `Triggers when ${description.slice('Occurs when '.length)}`;
}

/**
 * Builds the REST-hook trigger of one catalog event type. Subscribing creates an endpoint for Zapier's hook URL that
 * receives only this event type. Each delivery is verified with the endpoint's secret before the Zap runs.
 */
export function createEventTrigger(type: EventType) {
  const definition = catalog[type];
  const noun = nounOf(type);

  const performSubscribe = async (z: ZObject, bundle: Bundle): Promise<Subscription> => {
    if (!bundle.targetUrl) {
      throw new z.errors.Error('Zapier sent no hook URL to subscribe.', 'missing_target_url', 400);
    }
    const response = await z.request<EndpointWithSecret>({
      url: apiUrl(z, bundle, '/endpoints'),
      method: 'POST',
      body: {
        url: bundle.targetUrl,
        event_types: [type],
        description: `Zapier: ${definition.title}`,
      },
    });
    return { id: response.data.id, secret: response.data.secret };
  };

  // Zapier unsubscribes when a Zap is turned off or deleted; an endpoint someone already deleted counts as done.
  const performUnsubscribe = async (
    z: ZObject,
    bundle: Bundle,
  ): Promise<{ id: string | null; deleted: boolean }> => {
    const id = (bundle.subscribeData as Partial<Subscription> | undefined)?.id;
    if (typeof id !== 'string' || id === '') {
      return { id: null, deleted: false };
    }
    const response = await z.request({
      url: apiUrl(z, bundle, `/endpoints/${encodeURIComponent(id)}`),
      method: 'DELETE',
      skipThrowForStatus: true,
    });
    if (response.status === 404) {
      return { id, deleted: false };
    }
    if (response.status >= 400) {
      throw toZapierError(z, response);
    }
    return { id, deleted: true };
  };

  const perform = async (z: ZObject, bundle: Bundle): Promise<EventItem[]> => {
    const body = await readVerifiedDelivery(z, bundle);

    let item: EventItem;
    try {
      item = toEventItem(body);
    } catch (error) {
      throw new z.errors.HaltedError(`Rejected a signed delivery: ${(error as Error).message}`);
    }
    // An endpoint receives only its own event type, except test deliveries of other types sent by hand.
    return item.event_type === type ? [item] : [];
  };

  const performList = async (z: ZObject, bundle: Bundle): Promise<EventItem[]> => {
    const requested = bundle.meta?.limit;
    const limit =
      requested && requested > 0 ? Math.min(requested, MAX_SAMPLE_COUNT) : DEFAULT_SAMPLE_COUNT;
    const response = await z.request<Page<unknown>>({
      url: apiUrl(z, bundle, '/events'),
      method: 'GET',
      params: { type, limit },
    });

    const items = response.data.data.map(toEventItem);
    return items.length > 0 ? items : [toEventItem(sampleEvent(type))];
  };

  return defineTrigger({
    key: triggerKeyOf(type),
    noun,
    display: {
      label: definition.title,
      description: triggerDescriptionOf(type, definition.description),
    },
    operation: {
      type: 'hook',
      performSubscribe,
      performUnsubscribe,
      perform,
      performList,
      outputFields: eventItemOutputFields(type),
      sample: { ...toEventItem(sampleEvent(type)) },
    },
  });
}

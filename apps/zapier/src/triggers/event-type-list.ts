import { catalog, eventTypes } from '@app/api-client';
import { defineTrigger, type Bundle, type ZObject } from 'zapier-platform-core';

import { listEventTypes } from '../event-types.js';

/** One choice of the Event Type dropdown. */
export interface EventTypeChoice {
  /** The event type name, such as `invoice.paid`; the value the dropdown stores. */
  id: string;
  /** Text the dropdown shows, such as "Invoice Paid (invoice.paid)". */
  label: string;
  description: string;
}

async function perform(z: ZObject, bundle: Bundle): Promise<EventTypeChoice[]> {
  const types = await listEventTypes(z, bundle);
  return types.map((item) => ({
    id: item.type,
    label: `${item.title} (${item.type})`,
    description: item.description,
  }));
}

const [firstType] = eventTypes;

/** Hidden trigger that feeds the Event Type dropdown of Publish Event from `GET /v1/event-types`. */
export const eventTypeList = defineTrigger({
  key: 'event_type_list',
  noun: 'Event Type',
  display: {
    label: 'Event Types',
    description: 'Lists the event types for the Event Type dropdown.',
    hidden: true,
  },
  operation: {
    type: 'polling',
    perform,
    outputFields: [
      { key: 'id', label: 'Event Type', type: 'string' },
      { key: 'label', label: 'Label', type: 'string' },
      { key: 'description', label: 'Description', type: 'string' },
    ],
    sample: firstType
      ? {
          id: firstType,
          label: `${catalog[firstType].title} (${firstType})`,
          description: catalog[firstType].description,
        }
      : { id: '', label: '', description: '' },
  },
});

import type { INodePropertyOptions } from 'n8n-workflow';

import { catalog, eventTypes } from './api-client';

/**
 * Returns every event type of the catalog as n8n options, sorted by title as n8n lists options. The name is the
 * title, the value the `noun.verb` type, and the description the catalog's "Occurs when ..." sentence without its
 * final period, as n8n writes one-sentence descriptions. Both nodes build their event type lists here, so a new
 * catalog entry appears in them without a change to this package.
 */
export function eventTypeOptions(): INodePropertyOptions[] {
  return eventTypes
    .map((type) => ({
      name: catalog[type].title,
      value: type,
      description: catalog[type].description.replace(/\.$/, ''),
    }))
    .sort((left, right) => left.name.localeCompare(right.name, 'en'));
}

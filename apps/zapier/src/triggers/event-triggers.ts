import { eventTypes } from '@app/api-client';
import type { Trigger } from 'zapier-platform-core';

import { createEventTrigger, triggerKeyOf } from './event-trigger.js';

/**
 * Builds one REST-hook trigger per catalog event type, keyed by trigger key, in catalog order. A new catalog entry
 * becomes a trigger here with no change to this package. Throws when two event types map to the same key.
 */
export function createEventTriggers(): Record<string, Trigger> {
  const triggers: Record<string, Trigger> = {};
  const typesByKey = new Map<string, string>();
  for (const type of eventTypes) {
    const key = triggerKeyOf(type);
    const previous = typesByKey.get(key);
    if (previous !== undefined) {
      throw new Error(
        `Event types ${previous} and ${type} both map to the trigger key ${key}; rename one of them.`,
      );
    }
    typesByKey.set(key, type);
    triggers[key] = createEventTrigger(type);
  }
  return triggers;
}

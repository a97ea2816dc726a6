import type { IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** Value of the "All Events" option of the Events parameter. */
export const ALL_EVENTS = '*';

/** Output of the trigger for each event: the whole envelope or only its `data`. */
export type OutputMode = 'envelope' | 'data';

/**
 * Returns the event types the user selected, or null for every type ("All Events", which also covers types added
 * to the catalog later). Throws `NodeOperationError` when nothing is selected.
 */
export function selectedEventTypes(context: IHookFunctions | IWebhookFunctions): string[] | null {
  const events = context.getNodeParameter('events', []) as string[];
  if (events.includes(ALL_EVENTS)) {
    return null;
  }
  if (events.length === 0) {
    throw new NodeOperationError(
      context.getNode(),
      'Select at least one event type, or All Events',
      {
        description: 'The Events parameter is empty, so there is nothing to subscribe to.',
      },
    );
  }
  return [...new Set(events)].sort();
}

/** Returns the output mode parameter. */
export function outputMode(context: IWebhookFunctions): OutputMode {
  return context.getNodeParameter('output', 'envelope') === 'data' ? 'data' : 'envelope';
}

/** Returns true when two event type selections subscribe to the same events; null means every type. */
export function sameEventTypes(
  left: readonly string[] | null,
  right: readonly string[] | null,
): boolean {
  if (left === null || right === null) {
    return left === right;
  }
  const leftSet = new Set(left);
  const rightSet = new Set(right);
  return leftSet.size === rightSet.size && [...leftSet].every((type) => rightSet.has(type));
}

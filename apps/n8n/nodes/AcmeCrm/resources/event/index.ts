import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../operation';
import { publishEvent } from './publish';

/** Event operations, keyed by the value of the Operation parameter. */
export const eventOperations: Record<string, Operation> = {
  publish: publishEvent,
};

/** The Operation parameter of the Event resource and every operation's parameters. */
export const eventProperties: INodeProperties[] = [
  {
    displayName: 'Operation',
    name: 'operation',
    type: 'options',
    noDataExpression: true,
    displayOptions: { show: { resource: ['event'] } },
    options: [
      {
        name: 'Publish',
        value: 'publish',
        description: 'Publish an event to every endpoint subscribed to its type',
        action: 'Publish an event',
      },
    ],
    default: 'publish',
  },
  ...Object.values(eventOperations).flatMap((operation) => operation.properties),
];

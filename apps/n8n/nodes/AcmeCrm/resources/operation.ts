import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/** Runs one operation for one input item and returns the output items' JSON (none, one or many). */
export type OperationHandler = (
  context: IExecuteFunctions,
  itemIndex: number,
) => Promise<IDataObject[]>;

/** One operation of a resource: its parameters and its handler. */
export interface Operation {
  /** Parameters shown for this operation; each carries its own `displayOptions`. */
  properties: INodeProperties[];
  execute: OperationHandler;
}

/** Returns `displayOptions` that show a parameter for one resource and some of its operations. */
export function showFor(resource: string, operations: string[]): INodeProperties['displayOptions'] {
  return { show: { resource: [resource], operation: operations } };
}

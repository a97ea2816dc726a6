import {
  createAppTester,
  type BasicHookOperation,
  type Bundle,
  type Trigger,
  type ZObject,
} from 'zapier-platform-core';

import App from '../../src/index';

/** The app under test, run through Zapier's handler with its middleware and checks. */
export const appTester = createAppTester(App);

/** Runs one of the app's functions through `appTester` with a partial bundle, as Zapier would call it. */
export function run<T>(operation: unknown, bundle: Record<string, unknown>): Promise<T> {
  return runWith<T>(appTester, operation, bundle);
}

/** Runs one of the app's functions through the given tester with a partial bundle. */
export function runWith<T>(
  tester: ReturnType<typeof createAppTester>,
  operation: unknown,
  bundle: Record<string, unknown>,
): Promise<T> {
  if (typeof operation !== 'function') {
    throw new TypeError('run expects a function of the app definition');
  }
  return tester(operation as (z: ZObject, bundle: Bundle) => Promise<T>, bundle as Partial<Bundle>);
}

/** Returns the hook operation of an event trigger; throws when the key is not a REST-hook trigger. */
export function hookOperation(key: string): BasicHookOperation {
  const operation = (App.triggers as Record<string, Trigger>)[key]?.operation;
  if (!operation || operation.type !== 'hook') {
    throw new Error(`${key} is not a REST-hook trigger of the app`);
  }
  return operation;
}

/** Returns the `perform` of a polling trigger; throws when the key is not a polling trigger of the app. */
export function pollingPerform(key: string): unknown {
  const operation = (App.triggers as Record<string, Trigger>)[key]?.operation;
  if (!operation || operation.type !== 'polling') {
    throw new Error(`${key} is not a polling trigger of the app`);
  }
  return operation.perform;
}

/** Parses the message of a `z.errors.Error`, which Zapier serialises as JSON `{message, code, status}`. */
export function appErrorOf(error: unknown): { message: string; code: string; status: number } {
  return JSON.parse((error as Error).message) as { message: string; code: string; status: number };
}

/** Returns the error a promise rejects with; fails when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

import type { IDataObject } from 'n8n-workflow';

/**
 * The trigger's record of its endpoint, kept in the node's static data. n8n stores static data with the workflow,
 * so the record survives restarts. A "listen for test event" session starts with empty static data, so it keeps
 * its own endpoint.
 */
export class EndpointState {
  constructor(private readonly data: IDataObject) {}

  /** Id of the endpoint this trigger created, if any. */
  get endpointId(): string | undefined {
    return readString(this.data, 'endpointId');
  }

  /** Signing secret of that endpoint. */
  get secret(): string | undefined {
    return readString(this.data, 'secret');
  }

  /** Stores a newly created endpoint. */
  store(endpointId: string, secret: string): void {
    this.data['endpointId'] = endpointId;
    this.data['secret'] = secret;
    delete this.data['secretFetchedAt'];
  }

  /** Replaces the secret after a rotation. */
  replaceSecret(secret: string): void {
    this.data['secret'] = secret;
  }

  /** Forgets the endpoint, after it was deleted or found missing. */
  clear(): void {
    delete this.data['endpointId'];
    delete this.data['secret'];
    delete this.data['secretFetchedAt'];
  }

  /**
   * Returns true when the secret was not fetched from the API within the last `intervalMs` milliseconds, so a
   * stream of forged requests cannot turn into a stream of API calls.
   */
  secretFetchAllowed(now: number, intervalMs: number): boolean {
    const last = this.data['secretFetchedAt'];
    return typeof last !== 'number' || now - last >= intervalMs;
  }

  /** Records when the secret was last fetched from the API, in Unix milliseconds. */
  markSecretFetched(now: number): void {
    this.data['secretFetchedAt'] = now;
  }
}

function readString(data: IDataObject, key: string): string | undefined {
  const value = data[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

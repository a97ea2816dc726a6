import type { EventTypeDescription } from '@app/api-client';
import type { Bundle, ZObject } from 'zapier-platform-core';

import { apiUrl } from './api-url.js';

/** Fetches `GET /v1/event-types`: the server's catalog with the JSON Schema and a sample of every event type. */
export async function listEventTypes(z: ZObject, bundle: Bundle): Promise<EventTypeDescription[]> {
  const response = await z.request<{ data: EventTypeDescription[] }>({
    url: apiUrl(z, bundle, '/event-types'),
    method: 'GET',
  });
  return response.data.data;
}

import type { Contact, Page } from '@app/api-client';
import { defineTrigger, type Bundle, type ZObject } from 'zapier-platform-core';

import { apiUrl } from '../api-url.js';
import { contactOutputFields, contactSample } from '../contacts/contact-fields.js';

// The maximum page size of `GET /v1/contacts`.
const PAGE_SIZE = 100;

// Zapier requests page 0, 1, 2, ... as the user scrolls, and z.cursor keeps the API's cursor between those calls.
async function perform(z: ZObject, bundle: Bundle): Promise<Contact[]> {
  const page = bundle.meta?.page ?? 0;
  const cursor = page > 0 ? await z.cursor.get() : undefined;
  if (page > 0 && !cursor) {
    return [];
  }

  const response = await z.request<Page<Contact>>({
    url: apiUrl(z, bundle, '/contacts'),
    method: 'GET',
    params: { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) },
  });
  await z.cursor.set(response.data.next_cursor ?? '');
  return response.data.data;
}

/** Hidden trigger that feeds the Contact dropdown of Update Contact, page by page. */
export const contactList = defineTrigger({
  key: 'contact_list',
  noun: 'Contact',
  display: {
    label: 'Contacts',
    description: 'Lists contacts for the Contact dropdown.',
    hidden: true,
  },
  operation: {
    type: 'polling',
    perform,
    canPaginate: true,
    outputFields: contactOutputFields,
    sample: contactSample,
  },
});

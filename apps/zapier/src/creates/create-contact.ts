import type { Contact } from '@app/api-client';
import { defineCreate, type Bundle, type ZObject } from 'zapier-platform-core';

import { apiUrl } from '../api-url.js';
import {
  contactBody,
  contactCreateFields,
  contactOutputFields,
  contactSample,
} from '../contacts/contact-fields.js';

async function perform(z: ZObject, bundle: Bundle): Promise<Contact> {
  const response = await z.request<Contact>({
    url: apiUrl(z, bundle, '/contacts'),
    method: 'POST',
    body: contactBody(bundle.inputData, contactCreateFields),
  });
  return response.data;
}

/** Create Contact: `POST /v1/contacts`. Also the create half of Find or Create Contact. */
export const createContact = defineCreate({
  key: 'create_contact',
  noun: 'Contact',
  display: {
    label: 'Create Contact',
    description: 'Creates a new contact. The email address must not belong to another contact.',
  },
  operation: {
    perform,
    inputFields: contactCreateFields,
    outputFields: contactOutputFields,
    sample: contactSample,
  },
});

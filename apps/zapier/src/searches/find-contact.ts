import type { Contact, Page } from '@app/api-client';
import { defineSearch, type Bundle, type ZObject } from 'zapier-platform-core';

import { apiUrl } from '../api-url.js';
import {
  contactCreateFields,
  contactOutputFields,
  contactSample,
} from '../contacts/contact-fields.js';

async function perform(z: ZObject, bundle: Bundle): Promise<Contact[]> {
  const response = await z.request<Page<Contact>>({
    url: apiUrl(z, bundle, '/contacts'),
    method: 'GET',
    params: { email: String(bundle.inputData['email'] ?? ''), limit: 1 },
  });
  return response.data.data;
}

const emailField = contactCreateFields.find((field) => field.key === 'email');
if (!emailField) {
  throw new Error('The contact create schema has no email field, which Find Contact searches by.');
}

/** Find Contact: `GET /v1/contacts?email=`, an exact match on the email address. */
export const findContact = defineSearch({
  key: 'find_contact',
  noun: 'Contact',
  display: {
    label: 'Find Contact',
    description: 'Finds a contact by exact email address.',
  },
  operation: {
    perform,
    inputFields: [
      {
        ...emailField,
        required: true,
        helpText: "The email address to look up; it must match the contact's address exactly.",
      },
    ],
    outputFields: contactOutputFields,
    sample: contactSample,
  },
});

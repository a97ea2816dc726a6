import type { Contact } from '@app/api-client';
import { defineCreate, type Bundle, type ZObject } from 'zapier-platform-core';

import { apiUrl } from '../api-url.js';
import {
  contactBody,
  contactOutputFields,
  contactSample,
  contactUpdateFields,
} from '../contacts/contact-fields.js';

async function perform(z: ZObject, bundle: Bundle): Promise<Contact> {
  const contactId = String(bundle.inputData['contact_id'] ?? '');
  // NOTE: an update cannot clear a field (set it to null), because Zapier passes an empty field as a missing one.
  const response = await z.request<Contact>({
    url: apiUrl(z, bundle, `/contacts/${encodeURIComponent(contactId)}`),
    method: 'PATCH',
    body: contactBody(bundle.inputData, contactUpdateFields),
  });
  return response.data;
}

/** Update Contact: `PATCH /v1/contacts/{id}` with the fields the user filled in. */
export const updateContact = defineCreate({
  key: 'update_contact',
  noun: 'Contact',
  display: {
    label: 'Update Contact',
    description: 'Updates an existing contact; fields left empty keep their current values.',
  },
  operation: {
    perform,
    inputFields: [
      {
        key: 'contact_id',
        label: 'Contact',
        type: 'string',
        required: true,
        dynamic: 'contact_list.id.email',
        search: 'find_contact.id',
        helpText:
          'The contact to update. Pick one, or map a contact ID (`con_...`) from an earlier step.',
      },
      ...contactUpdateFields,
    ],
    outputFields: contactOutputFields,
    sample: contactSample,
  },
});

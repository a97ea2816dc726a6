import {
  catalog,
  contactCreateSchema,
  contactListQuerySchema,
  contactSchema,
  contactUpdateSchema,
  eventTypes,
  toJsonSchema,
} from '@app/api-client';

import { parametersFromObjectSchema } from '../json-schema-to-make.js';
import { sampleFromJsonSchema } from '../json-schema-sample.js';
import type { JsonObject, MakeParameter, ModuleComponent } from '../model.js';

/** Mappable parameter that names the contact a module works on. */
export const CONTACT_ID_PARAMETER = 'contactId';

/** Largest page the API returns for `GET /v1/contacts`. */
const MAX_PAGE_SIZE = 100;

/**
 * Builds the contact modules: Create, Update, Get and Delete a Contact (actions with their crud) and Search
 * Contacts (a search that follows `next_cursor` until the user's limit or the last page). Their fields come from
 * the contact schemas of `@app/api-client`.
 */
export function buildContactModules(connection: string): ModuleComponent[] {
  const contact = toJsonSchema(contactSchema);
  const contactInterface = parametersFromObjectSchema(contact, 'interface');
  const sample = contactSample();
  const contactId = contactIdParameter(contact);

  return [
    {
      id: 'createContact',
      label: 'Create a Contact',
      description: 'Creates a new contact.',
      moduleType: 'action',
      actionCrud: 'create',
      connection,
      sections: {
        communication: {
          url: '/contacts',
          method: 'POST',
          body: '{{parameters}}',
          response: { output: '{{body}}' },
        },
        staticParams: [],
        mappableParams: parametersFromObjectSchema(toJsonSchema(contactCreateSchema), 'input'),
        interface: contactInterface,
        samples: sample,
      },
    },
    {
      id: 'updateContact',
      label: 'Update a Contact',
      description:
        'Changes the fields you fill in and keeps the others; erase a field to clear it.',
      moduleType: 'action',
      actionCrud: 'update',
      connection,
      sections: {
        communication: {
          url: `/contacts/{{parameters.${CONTACT_ID_PARAMETER}}}`,
          method: 'PATCH',
          body: `{{omit(parameters, '${CONTACT_ID_PARAMETER}')}}`,
          response: { output: '{{body}}' },
        },
        staticParams: [],
        mappableParams: [
          contactId,
          ...parametersFromObjectSchema(toJsonSchema(contactUpdateSchema), 'input'),
        ],
        interface: contactInterface,
        samples: sample,
      },
    },
    {
      id: 'getContact',
      label: 'Get a Contact',
      description: 'Returns one contact by its ID.',
      moduleType: 'action',
      actionCrud: 'read',
      connection,
      sections: {
        communication: {
          url: `/contacts/{{parameters.${CONTACT_ID_PARAMETER}}}`,
          method: 'GET',
          response: { output: '{{body}}' },
        },
        staticParams: [],
        mappableParams: [contactId],
        interface: contactInterface,
        samples: sample,
      },
    },
    {
      id: 'deleteContact',
      label: 'Delete a Contact',
      description: 'Deletes a contact by its ID.',
      moduleType: 'action',
      actionCrud: 'delete',
      connection,
      sections: {
        communication: {
          url: `/contacts/{{parameters.${CONTACT_ID_PARAMETER}}}`,
          method: 'DELETE',
          response: { output: { id: `{{parameters.${CONTACT_ID_PARAMETER}}}` } },
        },
        staticParams: [],
        mappableParams: [contactId],
        interface: [{ name: 'id', label: 'Contact ID', type: 'text' }],
        samples: { id: String(sample['id'] ?? '') },
      },
    },
    {
      id: 'searchContacts',
      label: 'Search Contacts',
      description:
        'Returns contacts, newest first, optionally only the one with a given email address.',
      moduleType: 'search',
      connection,
      sections: {
        communication: {
          url: '/contacts',
          method: 'GET',
          qs: { email: '{{parameters.email}}', limit: '{{parameters.pageSize}}' },
          response: {
            iterate: '{{body.data}}',
            output: '{{item}}',
            limit: '{{parameters.limit}}',
          },
          // Make requests the next page while `condition` is true and fewer than `limit` bundles were output;
          // the last page has `next_cursor: null`.
          pagination: {
            qs: { cursor: '{{body.next_cursor}}' },
            condition: '{{body.next_cursor}}',
          },
        },
        staticParams: [],
        mappableParams: searchParameters(),
        interface: contactInterface,
        samples: sample,
      },
    },
  ];
}

function contactIdParameter(contact: Record<string, unknown>): MakeParameter {
  const properties = contact['properties'] as Record<string, { description?: string }>;
  return {
    name: CONTACT_ID_PARAMETER,
    label: 'Contact ID',
    type: 'text',
    required: true,
    help: properties['id']?.description ?? 'ID of the contact.',
  };
}

function searchParameters(): MakeParameter[] {
  const query = toJsonSchema(contactListQuerySchema);
  const properties = query['properties'] as Record<
    string,
    { description?: string; maxLength?: number }
  >;
  const email = properties['email'];

  return [
    {
      name: 'email',
      label: 'Email',
      type: 'email',
      help: email?.description ?? 'Return only the contact with this email address.',
    },
    {
      name: 'limit',
      label: 'Limit',
      type: 'uinteger',
      required: true,
      default: 10,
      help: 'Maximum number of contacts to return.',
      validate: { min: 1 },
    },
    {
      name: 'pageSize',
      label: 'Page Size',
      type: 'uinteger',
      advanced: true,
      default: MAX_PAGE_SIZE,
      help: `Contacts fetched per request, 1 to ${MAX_PAGE_SIZE}. The module keeps requesting pages until it has Limit contacts or reaches the last page.`,
      validate: { min: 1, max: MAX_PAGE_SIZE },
    },
  ];
}

/** Returns the first catalog sample that is a contact (the data of `contact.created`), else a placeholder from the schema. */
function contactSample(): JsonObject {
  for (const type of eventTypes) {
    const parsed = contactSchema.safeParse(catalog[type].sample);
    if (parsed.success) {
      return JSON.parse(JSON.stringify(parsed.data)) as JsonObject;
    }
  }
  return sampleFromJsonSchema(toJsonSchema(contactSchema)) as JsonObject;
}

import type { IDataObject } from 'n8n-workflow';

import type { Contact, Page } from '../../../shared/api-client';
import { apiRequest } from '../../../shared/transport';
import { showFor, type Operation } from '../operation';

// The API returns at most 100 items per page.
const MAX_PAGE_SIZE = 100;

/** Contact → Get Many: `GET /v1/contacts`, following `next_cursor` until the limit or the last page. */
export const getManyContacts: Operation = {
  properties: [
    {
      displayName: 'Return All',
      name: 'returnAll',
      type: 'boolean',
      default: false,
      description: 'Whether to return all results or only up to a given limit',
      displayOptions: showFor('contact', ['getAll']),
    },
    {
      displayName: 'Limit',
      name: 'limit',
      type: 'number',
      typeOptions: { minValue: 1 },
      default: 50,
      description: 'Max number of results to return',
      displayOptions: {
        show: { resource: ['contact'], operation: ['getAll'], returnAll: [false] },
      },
    },
    {
      displayName: 'Filters',
      name: 'filters',
      type: 'collection',
      placeholder: 'Add Filter',
      default: {},
      displayOptions: showFor('contact', ['getAll']),
      options: [
        {
          displayName: 'Email',
          name: 'email',
          type: 'string',
          placeholder: 'name@email.com',
          default: '',
          description: 'Return only the contact with exactly this email address',
        },
      ],
    },
  ],

  async execute(context, itemIndex) {
    const returnAll = context.getNodeParameter('returnAll', itemIndex) as boolean;
    const limit = returnAll
      ? Number.POSITIVE_INFINITY
      : (context.getNodeParameter('limit', itemIndex) as number);
    const filters = context.getNodeParameter('filters', itemIndex, {}) as IDataObject;

    const contacts: Contact[] = [];
    let cursor: string | undefined;
    do {
      const page = await apiRequest<Page<Contact>>(context, {
        method: 'GET',
        path: '/contacts',
        query: {
          limit: Math.min(MAX_PAGE_SIZE, limit - contacts.length),
          cursor,
          email: filters['email'],
        },
        itemIndex,
      });
      contacts.push(...page.data);
      cursor = page.next_cursor ?? undefined;
    } while (cursor !== undefined && contacts.length < limit);

    return contacts.slice(0, limit);
  },
};

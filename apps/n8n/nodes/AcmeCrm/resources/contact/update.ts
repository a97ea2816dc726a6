import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Contact } from '../../../shared/api-client';
import { apiRequest, pathSegment } from '../../../shared/transport';
import { showFor, type Operation } from '../operation';
import {
  contactIdProperty,
  optionalContactFields,
  sortByDisplayName,
  toContactBody,
} from './fields';

/** Contact → Update: `PATCH /v1/contacts/{id}` with the fields the user added. */
export const updateContact: Operation = {
  properties: [
    contactIdProperty('update'),
    {
      displayName: 'Update Fields',
      name: 'updateFields',
      type: 'collection',
      placeholder: 'Add Field',
      default: {},
      description: 'Fields to change. A field added and left empty is cleared.',
      displayOptions: showFor('contact', ['update']),
      options: sortByDisplayName([
        ...optionalContactFields,
        {
          displayName: 'Email',
          name: 'email',
          type: 'string',
          placeholder: 'name@email.com',
          default: '',
          description: 'New email address, unique within the account',
        },
      ]),
    },
  ],

  async execute(context, itemIndex) {
    const contactId = (context.getNodeParameter('contactId', itemIndex) as string).trim();
    const updateFields = context.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;

    const body = toContactBody(updateFields, 'clear');
    if (Object.keys(body).length === 0) {
      throw new NodeOperationError(context.getNode(), 'Add at least one field to Update Fields', {
        description: 'An update without fields would change nothing.',
        itemIndex,
      });
    }

    const contact = await apiRequest<Contact>(context, {
      method: 'PATCH',
      path: `/contacts/${pathSegment(contactId)}`,
      body,
      itemIndex,
    });
    return [contact];
  },
};

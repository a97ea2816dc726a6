import type { IDataObject } from 'n8n-workflow';

import type { Contact } from '../../../shared/api-client';
import { apiRequest } from '../../../shared/transport';
import { showFor, type Operation } from '../operation';
import { emailProperty, optionalContactFields, toContactBody } from './fields';

/** Contact → Create: `POST /v1/contacts`. */
export const createContact: Operation = {
  properties: [
    emailProperty('create', 'Email address of the new contact, unique within the account'),
    {
      displayName: 'Additional Fields',
      name: 'additionalFields',
      type: 'collection',
      placeholder: 'Add Field',
      default: {},
      displayOptions: showFor('contact', ['create']),
      options: optionalContactFields,
    },
  ],

  async execute(context, itemIndex) {
    const email = context.getNodeParameter('email', itemIndex) as string;
    const additionalFields = context.getNodeParameter(
      'additionalFields',
      itemIndex,
      {},
    ) as IDataObject;

    const contact = await apiRequest<Contact>(context, {
      method: 'POST',
      path: '/contacts',
      body: { ...toContactBody(additionalFields, 'omit'), email: email.trim() },
      itemIndex,
    });
    return [contact];
  },
};

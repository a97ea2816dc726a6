import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../operation';
import { createContact } from './create';
import { deleteContact } from './delete';
import { findContactByEmail } from './find-by-email';
import { getContact } from './get';
import { getManyContacts } from './get-many';
import { updateContact } from './update';

/** Contact operations, keyed by the value of the Operation parameter. */
export const contactOperations: Record<string, Operation> = {
  create: createContact,
  delete: deleteContact,
  findByEmail: findContactByEmail,
  get: getContact,
  getAll: getManyContacts,
  update: updateContact,
};

/** The Operation parameter of the Contact resource and every operation's parameters. */
export const contactProperties: INodeProperties[] = [
  {
    displayName: 'Operation',
    name: 'operation',
    type: 'options',
    noDataExpression: true,
    displayOptions: { show: { resource: ['contact'] } },
    options: [
      {
        name: 'Create',
        value: 'create',
        description: 'Create a contact',
        action: 'Create a contact',
      },
      {
        name: 'Delete',
        value: 'delete',
        description: 'Delete a contact',
        action: 'Delete a contact',
      },
      {
        name: 'Find by Email',
        value: 'findByEmail',
        description: 'Find the contact with an email address',
        action: 'Find a contact by email',
      },
      {
        name: 'Get',
        value: 'get',
        description: 'Get a contact by ID',
        action: 'Get a contact',
      },
      {
        name: 'Get Many',
        value: 'getAll',
        description: 'Get many contacts',
        action: 'Get many contacts',
      },
      {
        name: 'Update',
        value: 'update',
        description: 'Update a contact',
        action: 'Update a contact',
      },
    ],
    default: 'create',
  },
  ...Object.values(contactOperations).flatMap((operation) => operation.properties),
];

import type { Contact } from '../../../shared/api-client';
import { apiRequest, pathSegment } from '../../../shared/transport';
import type { Operation } from '../operation';
import { contactIdProperty } from './fields';

/** Contact → Get: `GET /v1/contacts/{id}`. */
export const getContact: Operation = {
  properties: [contactIdProperty('get')],

  async execute(context, itemIndex) {
    const contactId = context.getNodeParameter('contactId', itemIndex) as string;

    const contact = await apiRequest<Contact>(context, {
      method: 'GET',
      path: `/contacts/${pathSegment(contactId.trim())}`,
      itemIndex,
    });
    return [contact];
  },
};

import type { Contact, Page } from '../../../shared/api-client';
import { apiRequest } from '../../../shared/transport';
import type { Operation } from '../operation';
import { emailProperty } from './fields';

/**
 * Contact → Find by Email: `GET /v1/contacts?email=`. Outputs the contact, or no item when none has this address
 * (the node setting "Always Output Data" turns that into an empty item).
 */
export const findContactByEmail: Operation = {
  properties: [emailProperty('findByEmail', 'Email address to look for, matched exactly')],

  async execute(context, itemIndex) {
    const email = (context.getNodeParameter('email', itemIndex) as string).trim();

    const page = await apiRequest<Page<Contact>>(context, {
      method: 'GET',
      path: '/contacts',
      query: { email, limit: 1 },
      itemIndex,
    });
    return page.data.slice(0, 1);
  },
};

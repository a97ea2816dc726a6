import { apiRequest, pathSegment } from '../../../shared/transport';
import type { Operation } from '../operation';
import { contactIdProperty } from './fields';

/** Contact → Delete: `DELETE /v1/contacts/{id}`; outputs the id and `deleted: true`. */
export const deleteContact: Operation = {
  properties: [contactIdProperty('delete')],

  async execute(context, itemIndex) {
    const contactId = (context.getNodeParameter('contactId', itemIndex) as string).trim();

    await apiRequest(context, {
      method: 'DELETE',
      path: `/contacts/${pathSegment(contactId)}`,
      itemIndex,
    });
    return [{ id: contactId, deleted: true }];
  },
};

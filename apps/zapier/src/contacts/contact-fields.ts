import {
  catalog,
  contactCreateSchema,
  contactSchema,
  contactUpdateSchema,
  toJsonSchema,
  type Contact,
} from '@app/api-client';
import type { PlainInputField } from 'zapier-platform-core';

import { inputFieldsFromSchema, outputFieldsFromSchema } from '../fields/json-schema-fields.js';

/** Input fields of Create Contact, derived from the body schema of `POST /v1/contacts`. */
export const contactCreateFields: PlainInputField[] = inputFieldsFromSchema(
  toJsonSchema(contactCreateSchema),
);

/** Input fields of Update Contact besides the contact: the body of `PATCH /v1/contacts/{id}`, every field optional. */
export const contactUpdateFields: PlainInputField[] = inputFieldsFromSchema(
  toJsonSchema(contactUpdateSchema),
);

/** Output fields of every contact operation, derived from the contact schema. */
export const contactOutputFields = outputFieldsFromSchema(toJsonSchema(contactSchema));

/** Sample output of every contact operation: the catalog sample of `contact.created`. */
export const contactSample: Contact = {
  ...catalog['contact.created'].sample,
  tags: [...catalog['contact.created'].sample.tags],
};

/**
 * Builds a request body from `inputData`, keeping the keys of `fields` that have a value. Zapier passes an empty
 * field as a missing key or an empty string. Both are left out, so an update changes only the fields the user set.
 */
export function contactBody(
  inputData: Record<string, unknown>,
  fields: PlainInputField[],
): Record<string, unknown> {
  const body: Record<string, unknown> = {};

  for (const field of fields) {
    const value = inputData[field.key];
    if (value === undefined || value === null || value === '') {
      continue;
    }

    if (field.list) {
      const items = (Array.isArray(value) ? value : [value]).filter(
        (item) => item !== '' && item != null,
      );
      if (items.length > 0) {
        body[field.key] = items;
      }
      continue;
    }

    body[field.key] = value;
  }

  return body;
}

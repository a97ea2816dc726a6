import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { showFor } from '../operation';

/** Builds the Contact ID parameter of one operation. */
export function contactIdProperty(operation: string): INodeProperties {
  return {
    displayName: 'Contact ID',
    name: 'contactId',
    type: 'string',
    required: true,
    default: '',
    placeholder: 'con_01JD3Q8Z5V6Y7K2M4N8P0R1S3T',
    description: 'ID of the contact, starting with con_',
    displayOptions: showFor('contact', [operation]),
  };
}

/** Builds the Email parameter of one operation. */
export function emailProperty(operation: string, description: string): INodeProperties {
  return {
    displayName: 'Email',
    name: 'email',
    type: 'string',
    placeholder: 'name@email.com',
    required: true,
    default: '',
    description,
    displayOptions: showFor('contact', [operation]),
  };
}

/** The optional contact fields, in the alphabetical order n8n lists collection options in. */
export const optionalContactFields: INodeProperties[] = [
  {
    displayName: 'Company',
    name: 'company',
    type: 'string',
    default: '',
    description: 'Company the contact works for',
  },
  {
    displayName: 'First Name',
    name: 'firstName',
    type: 'string',
    default: '',
  },
  {
    displayName: 'Last Name',
    name: 'lastName',
    type: 'string',
    default: '',
  },
  {
    displayName: 'Phone',
    name: 'phone',
    type: 'string',
    default: '',
    description: 'Phone number as the contact gave it',
  },
  {
    displayName: 'Tags',
    name: 'tags',
    type: 'string',
    default: '',
    placeholder: 'vip, newsletter',
    description: 'Comma-separated labels, at most 20',
  },
];

// Maps the node's parameter names to the API's field names.
const API_FIELD_NAMES: Record<string, string> = {
  company: 'company',
  email: 'email',
  firstName: 'first_name',
  lastName: 'last_name',
  phone: 'phone',
  tags: 'tags',
};

/**
 * Converts collection values into an API body, splitting tags on commas. With `emptyMeans: 'omit'` (create) an
 * empty field is left out. With `emptyMeans: 'clear'` (update) an empty text field becomes null and empty tags an
 * empty list, because adding a field and leaving it blank is how n8n users ask to clear it.
 */
export function toContactBody(fields: IDataObject, emptyMeans: 'omit' | 'clear'): IDataObject {
  const body: IDataObject = {};

  for (const [name, value] of Object.entries(fields)) {
    const apiName = API_FIELD_NAMES[name];
    if (apiName === undefined || value === undefined) {
      continue;
    }

    if (name === 'tags') {
      const tags = splitTags(String(value));
      if (tags.length > 0 || emptyMeans === 'clear') {
        body[apiName] = tags;
      }
      continue;
    }

    const text = String(value).trim();
    if (text !== '') {
      body[apiName] = text;
    } else if (emptyMeans === 'clear' && name !== 'email') {
      body[apiName] = null;
    }
  }
  return body;
}

function splitTags(value: string): string[] {
  return value
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
}

/** Returns the properties sorted by display name, the order n8n lists collection options in. */
export function sortByDisplayName(properties: INodeProperties[]): INodeProperties[] {
  return [...properties].sort((left, right) =>
    left.displayName.localeCompare(right.displayName, 'en'),
  );
}

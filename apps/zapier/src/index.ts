import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { defineApp, version as platformVersion } from 'zapier-platform-core';

import { authentication } from './authentication.js';
import { createContact } from './creates/create-contact.js';
import { publishEvent } from './creates/publish-event.js';
import { updateContact } from './creates/update-contact.js';
import { addApiKey } from './middleware/add-api-key.js';
import { handleApiErrors } from './middleware/handle-api-errors.js';
import { findContact } from './searches/find-contact.js';
import { contactList } from './triggers/contact-list.js';
import { createEventTriggers } from './triggers/event-triggers.js';
import { eventTypeList } from './triggers/event-type-list.js';

// Zapier shows the package version as the app version. package.json is one folder above both dist/ and src/.
const packageJson = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
  version: string;
};

/** The Zapier app definition: one REST-hook trigger per catalog event type, contact actions and event publishing. */
const app = defineApp({
  version: packageJson.version,
  platformVersion,

  authentication,
  beforeRequest: [addApiKey],
  afterResponse: [handleApiErrors],
  // Let `handleApiErrors` turn 429 responses into a ThrottledError that carries the server's message.
  flags: { throwForThrottlingEarly: false },

  triggers: {
    ...createEventTriggers(),
    [eventTypeList.key]: eventTypeList,
    [contactList.key]: contactList,
  },
  creates: {
    [createContact.key]: createContact,
    [updateContact.key]: updateContact,
    [publishEvent.key]: publishEvent,
  },
  searches: {
    [findContact.key]: findContact,
  },
  searchOrCreates: {
    [findContact.key]: {
      key: findContact.key,
      display: {
        label: 'Find or Create Contact',
        description: 'Finds a contact by email address, or creates one when none matches.',
      },
      search: findContact.key,
      create: createContact.key,
    },
  },
});

// The Zapier CLI and runtime `require()` the app and expect the definition itself as the module's export.
export = app;

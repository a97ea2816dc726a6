import { contactCreateSchema, contactListQuerySchema, contactUpdateSchema } from '@app/api-client';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { z } from 'zod';

import {
  ContactEmailTakenError,
  createContact,
  deleteContact,
  findContact,
  listContacts,
  updateContact,
  type ContactChange,
} from '../../storage/contacts.js';
import { decodeCursor } from '../../storage/executor.js';
import { ApiProblem, notFound } from '../errors.js';
import { parseInput } from '../validation.js';
import { invalidCursor } from './events.js';

const idParamsSchema = z.object({ id: z.string().min(1).max(64) }).strict();

/**
 * `/v1/contacts`: create, read, list, update and delete contacts. Every change emits its event (`contact.created`,
 * `contact.updated`, `contact.deleted`) in the transaction that makes it, and wakes the dispatcher after the commit.
 * A PATCH that changes nothing returns the contact as it is and emits no event.
 */
export async function contactRoutes(app: FastifyInstance): Promise<void> {
  const { database, dispatcher } = app.services;

  app.post('/contacts', async (request, reply) => {
    const input = parseInput(contactCreateSchema, request.body, 'body');
    const accountId = request.account.id;
    const change = await rejectTakenEmail(app, accountId, () =>
      createContact(database.db, { accountId, input }),
    );

    announce(change, request.log, dispatcher.wake.bind(dispatcher), 'contact created');
    return reply.status(201).send(change.contact);
  });

  app.get('/contacts', async (request) => {
    const query = parseInput(contactListQuerySchema, request.query, 'query');
    const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    if (query.cursor !== undefined && cursor === undefined) {
      throw invalidCursor();
    }

    return listContacts(database.db, {
      accountId: request.account.id,
      limit: query.limit,
      ...(cursor === undefined ? {} : { cursor }),
      ...(query.email === undefined ? {} : { email: query.email }),
    });
  });

  app.get('/contacts/:id', async (request) => {
    const { id } = parseInput(idParamsSchema, request.params, 'path');
    const contact = await findContact(database.db, request.account.id, id);
    if (!contact) {
      throw notFound('contact', id);
    }
    return contact;
  });

  app.patch('/contacts/:id', async (request) => {
    const { id } = parseInput(idParamsSchema, request.params, 'path');
    const changes = parseInput(contactUpdateSchema, request.body, 'body');
    const accountId = request.account.id;
    const change = await rejectTakenEmail(app, accountId, () =>
      updateContact(database.db, { accountId, contactId: id, changes }),
    );
    if (!change) {
      throw notFound('contact', id);
    }

    announce(change, request.log, dispatcher.wake.bind(dispatcher), 'contact updated');
    return change.contact;
  });

  app.delete('/contacts/:id', async (request, reply) => {
    const { id } = parseInput(idParamsSchema, request.params, 'path');
    const change = await deleteContact(database.db, {
      accountId: request.account.id,
      contactId: id,
    });
    if (!change) {
      throw notFound('contact', id);
    }

    announce(change, request.log, dispatcher.wake.bind(dispatcher), 'contact deleted');
    return reply.status(204).send();
  });
}

/** Wakes the dispatcher for the change's event, which committed with the change, and logs the change. */
function announce(
  change: ContactChange,
  log: FastifyBaseLogger,
  wake: () => void,
  message: string,
): void {
  if (change.event && change.event.deliveryIds.length > 0) {
    wake();
  }
  log.info(
    {
      contactId: change.contact.id,
      eventId: change.event?.envelope.event_id ?? null,
      deliveries: change.event?.deliveryIds.length ?? 0,
    },
    change.event ? message : 'contact unchanged',
  );
}

/**
 * Runs a write and turns `ContactEmailTakenError` into 409 `conflict` on the `email` field, naming the contact that
 * has the address. The lookup runs after the write's transaction rolled back.
 */
async function rejectTakenEmail<T>(
  app: FastifyInstance,
  accountId: string,
  write: () => Promise<T>,
): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!(error instanceof ContactEmailTakenError)) {
      throw error;
    }

    const existing = await listContacts(app.services.database.db, {
      accountId,
      email: error.email,
      limit: 1,
    });
    const holder = existing.data[0] ? ` (${existing.data[0].id})` : '';
    throw new ApiProblem({
      status: 409,
      code: 'conflict',
      field: 'email',
      detail: `A contact with the email address ${error.email} already exists in this account${holder}. Update that contact, or use another address.`,
      cause: error,
    });
  }
}

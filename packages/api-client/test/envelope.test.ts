import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { ZodError } from 'zod';

import {
  catalog,
  createEvent,
  eventEnvelopeSchema,
  eventTypes,
  isEventId,
  isId,
  newId,
  parseEvent,
  sampleEvent,
  toJsonSchema,
  type EventData,
} from '../src/index';
import { payloadFixtureNames, readPayloadFixture } from './support/fixtures';

const EVENT_ID = /^evt_[0-9A-HJKMNP-TV-Z]{26}$/;
const ISO_UTC_MILLISECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const deletedContact: EventData<'contact.deleted'> = {
  id: 'con_01KMZWF9CE8R2Q5N7T1V3X6YZA',
  email: 'former.customer@example.com',
  deleted_at: '2026-04-25T09:31:18.230Z',
};

function catchError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the action to throw');
}

describe('createEvent', () => {
  test('id is evt_ and 26 Crockford characters', () => {
    const envelope = createEvent('contact.deleted', deletedContact);

    expect(envelope.event_id).toMatch(EVENT_ID);
    expect(envelope.event_id).toHaveLength(30);
    expect(isEventId(envelope.event_id)).toBe(true);
  });

  test('ids are unique over many calls', () => {
    const count = 10_000;
    const ids = new Set<string>();
    for (let i = 0; i < count; i += 1) {
      ids.add(createEvent('contact.deleted', deletedContact).event_id);
    }

    expect(ids.size).toBe(count);
  });

  test('ids created at one instant are still unique', () => {
    const createdAt = Date.parse('2026-04-25T09:31:18.244Z');
    const ids = new Set<string>();
    for (let i = 0; i < 1_000; i += 1) {
      ids.add(createEvent('contact.deleted', deletedContact, { createdAt }).event_id);
    }

    expect(ids.size).toBe(1_000);
  });

  test('id time part encodes created_at', () => {
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    const envelope = createEvent('contact.deleted', deletedContact, {
      createdAt: Date.parse('2026-04-25T09:31:18.244Z'),
    });

    let encodedTime = 0;
    for (const character of envelope.event_id.slice('evt_'.length, 'evt_'.length + 10)) {
      encodedTime = encodedTime * 32 + alphabet.indexOf(character);
    }

    expect(encodedTime).toBe(Date.parse(envelope.created_at));
  });

  test('ids sort by creation time', () => {
    const earlier = createEvent('contact.deleted', deletedContact, {
      createdAt: Date.parse('2026-01-01T00:00:00Z'),
    });
    const later = createEvent('contact.deleted', deletedContact, {
      createdAt: Date.parse('2026-01-01T00:00:00.001Z'),
    });

    expect(earlier.event_id < later.event_id).toBe(true);
  });

  test('ids of one millisecond keep creation order', () => {
    const createdAt = Date.parse('2026-01-01T00:00:00Z');
    const ids = Array.from({ length: 1000 }, () => newId('event', createdAt));

    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('created_at is ISO-8601 UTC with milliseconds', () => {
    const before = Date.now();
    const envelope = createEvent('contact.deleted', deletedContact);
    const after = Date.now();

    expect(envelope.created_at).toMatch(ISO_UTC_MILLISECONDS);
    expect(Date.parse(envelope.created_at)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(envelope.created_at)).toBeLessThanOrEqual(after);
  });

  test('createdAt option sets created_at', () => {
    const fromDate = createEvent('contact.deleted', deletedContact, {
      createdAt: new Date('2026-04-25T09:31:18Z'),
    });
    const fromNumber = createEvent('contact.deleted', deletedContact, { createdAt: 1777109478244 });

    expect(fromDate.created_at).toBe('2026-04-25T09:31:18.000Z');
    expect(fromNumber.created_at).toBe('2026-04-25T09:31:18.244Z');
  });

  test('eventId option is used as given', () => {
    const envelope = createEvent('contact.deleted', deletedContact, {
      eventId: 'evt_01KQ1ZNAV4H6N1E8K3S5W7A9CF',
    });

    expect(envelope.event_id).toBe('evt_01KQ1ZNAV4H6N1E8K3S5W7A9CF');
  });

  test('malformed eventId option throws TypeError', () => {
    expect(() => createEvent('contact.deleted', deletedContact, { eventId: 'evt_123' })).toThrow(
      TypeError,
    );
    expect(() =>
      createEvent('contact.deleted', deletedContact, { eventId: 'msg_01KQ1ZNAV4H6N1E8K3S5W7A9CF' }),
    ).toThrow(/eventId/);
  });

  test('invalid createdAt throws RangeError', () => {
    expect(() =>
      createEvent('contact.deleted', deletedContact, { createdAt: new Date('not a date') }),
    ).toThrow(RangeError);
  });

  test('returns data as parsed by the schema', () => {
    const envelope = createEvent('contact.deleted', {
      ...deletedContact,
      unexpected: 'dropped',
    } as never);

    expect(envelope.data).toEqual(deletedContact);
  });

  test('invalid data throws ZodError naming the field', () => {
    const error = catchError(() =>
      createEvent('report.generated', { ...catalog['report.generated'].sample, row_count: -1 }),
    );

    expect(error).toBeInstanceOf(ZodError);
    expect((error as ZodError).issues).toHaveLength(1);
    expect((error as ZodError).issues[0]?.path).toEqual(['row_count']);
    expect((error as ZodError).message).toContain('row_count');
  });

  test('missing field throws naming the field', () => {
    const { email: _email, ...withoutEmail } = deletedContact;

    const error = catchError(() => createEvent('contact.deleted', withoutEmail as never));

    expect(error).toBeInstanceOf(ZodError);
    expect((error as ZodError).issues[0]?.path).toEqual(['email']);
  });

  test('nested invalid field is named by its path', () => {
    const sample = catalog['contact.updated'].sample;
    const data = { ...sample, previous_attributes: { tags: 'vip' } };

    const error = catchError(() => createEvent('contact.updated', data as never));

    expect((error as ZodError).issues[0]?.path).toEqual(['previous_attributes', 'tags']);
  });

  test('result passes the envelope schema', () => {
    const envelope = createEvent('contact.deleted', deletedContact);

    expect(eventEnvelopeSchema.safeParse(envelope).success).toBe(true);
  });
});

describe('parseEvent', () => {
  test('returns a valid envelope unchanged', () => {
    const envelope = createEvent('contact.deleted', deletedContact);

    expect(parseEvent(JSON.parse(JSON.stringify(envelope)))).toEqual(envelope);
  });

  test('rejects an unknown event type', () => {
    const envelope = { ...sampleEvent('contact.deleted'), event_type: 'contact.merged' };

    const error = catchError(() => parseEvent(envelope));

    expect(error).toBeInstanceOf(ZodError);
    expect((error as ZodError).issues[0]?.path).toEqual(['event_type']);
  });

  test('rejects data that does not match its type', () => {
    const envelope = {
      ...sampleEvent('invoice.paid'),
      data: { ...catalog['invoice.paid'].sample, currency: 'eur' },
    };

    const error = catchError(() => parseEvent(envelope));

    expect(error).toBeInstanceOf(ZodError);
    expect((error as ZodError).issues[0]?.path).toEqual(['currency']);
  });

  test('rejects data of another type', () => {
    const envelope = { ...sampleEvent('invoice.paid'), data: catalog['contact.created'].sample };

    expect(() => parseEvent(envelope)).toThrow(ZodError);
  });

  test.each([
    ['event_id without prefix', { event_id: '01KQ1ZNAV4H6N1E8K3S5W7A9CF' }, 'event_id'],
    ['event_id with lower case', { event_id: 'evt_01kq1znav4h6n1e8k3s5w7a9cf' }, 'event_id'],
    ['created_at without milliseconds', { created_at: '2026-04-25T09:31:18Z' }, 'created_at'],
    ['created_at with an offset', { created_at: '2026-04-25T11:31:18.000+02:00' }, 'created_at'],
    ['data as an array', { data: [] }, 'data'],
    ['data missing', { data: undefined }, 'data'],
  ])('rejects %s', (_case, change, field) => {
    const envelope = { ...sampleEvent('contact.deleted'), ...change };

    const error = catchError(() => parseEvent(envelope));

    expect(error).toBeInstanceOf(ZodError);
    expect((error as ZodError).issues[0]?.path[0]).toBe(field);
  });

  test.each([null, 'text', 42, []])('rejects %p', (value) => {
    expect(() => parseEvent(value)).toThrow(ZodError);
  });
});

describe('payload fixtures', () => {
  test('one fixture exists per catalog event type', () => {
    expect(payloadFixtureNames()).toEqual([...eventTypes].sort());
  });

  test.each(eventTypes)('%s fixture parses with parseEvent', (type) => {
    const envelope = parseEvent(JSON.parse(readPayloadFixture(type)));

    expect(envelope.event_type).toBe(type);
    expect(envelope.event_id).toMatch(EVENT_ID);
  });

  test.each(eventTypes)('%s fixture differs from the catalog sample', (type) => {
    const envelope = JSON.parse(readPayloadFixture(type)) as { event_id: string; data: unknown };

    expect(envelope.data).not.toEqual(catalog[type].sample);
    expect(envelope.event_id).not.toBe(sampleEvent(type).event_id);
  });

  test.each(eventTypes)('%s fixture validates against the envelope JSON Schema', (type) => {
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true });
    addFormats(ajv);
    const validate = ajv.compile(toJsonSchema(eventEnvelopeSchema));

    expect(validate(JSON.parse(readPayloadFixture(type)))).toBe(true);
  });
});

describe('ids', () => {
  test('newId encodes the time in the first ten characters', () => {
    // 1000 ms is 31 * 32 + 8, so the base32 digits are Z (31) and 8.
    const first = newId('contact', 1_000);
    const second = newId('contact', 1_000);

    expect(first.slice(0, 14)).toBe('con_00000000Z8');
    expect(newId('contact', 32).slice(0, 14)).toBe('con_0000000010');
    expect(second.slice(0, 14)).toBe(first.slice(0, 14));
    expect(first).not.toBe(second);
  });

  test('newId rejects a time the ULID field cannot hold', () => {
    expect(() => newId('event', -1)).toThrow(RangeError);
    expect(() => newId('event', 2 ** 48)).toThrow(RangeError);
    expect(() => newId('event', Number.NaN)).toThrow(RangeError);
    expect(() => newId('event', 1.5)).toThrow(RangeError);
  });

  test('newId accepts the largest ULID time', () => {
    expect(newId('event', 2 ** 48 - 1)).toMatch(/^evt_7ZZZZZZZZZ[0-9A-HJKMNP-TV-Z]{16}$/);
  });

  test('isId checks the prefix and alphabet', () => {
    expect(isId('contact', newId('contact'))).toBe(true);
    expect(isId('event', newId('contact'))).toBe(false);
    expect(isId('contact', 'con_01KMZWF9CE8R2Q5N7T1V3X6YZU')).toBe(false);
    expect(isId('contact', 'con_01KMZWF9CE8R2Q5N7T1V3X6YZ')).toBe(false);
  });
});

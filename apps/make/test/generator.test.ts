import { toJsonSchema } from '@app/api-client';
import { z } from 'zod';

import { diffAppDirectory } from '../src/app-directory';
import { generateMakeApp } from '../src/generate';
import { catalogInput, type EventTypeInput } from '../src/input';
import { JSONC_HEADER, MARKDOWN_HEADER } from '../src/layout';
import { readOrigins } from '../src/origins';
import { APP_DIR, ORIGINS_FILE } from '../src/paths';
import { parseJson, parseJsonc } from '../src/validation/jsonc';

const ticketOpened: EventTypeInput = {
  type: 'ticket.opened',
  title: 'Ticket Opened',
  description: 'Occurs when a customer opens a support ticket.',
  dataSchema: toJsonSchema(
    z.object({
      id: z.string().describe('Ticket id.'),
      subject: z.string(),
      priority: z.enum(['low', 'high']),
      opened_at: z.iso.datetime(),
    }),
  ),
  sample: {
    event_id: 'evt_01JD3QE0000000000000000000',
    event_type: 'ticket.opened',
    created_at: '2026-03-01T12:00:00.000Z',
    data: {
      id: 'tkt_1',
      subject: 'Printer on fire',
      priority: 'high',
      opened_at: '2026-03-01T11:59:58.000Z',
    },
  },
};

function fileMap(input = catalogInput()): Map<string, string> {
  return new Map(generateMakeApp(input).map((file) => [file.path, file.contents]));
}

function jsonOf(files: Map<string, string>, path: string): Record<string, unknown> {
  const text = files.get(path);
  if (text === undefined) {
    throw new Error(`${path} was not generated`);
  }
  return parseJsonc(text, path) as Record<string, unknown>;
}

describe('generateMakeApp', () => {
  test('same input gives byte-identical files', () => {
    const first = generateMakeApp(catalogInput());
    const second = generateMakeApp(catalogInput());

    expect(second).toEqual(first);
  });

  test('IMLJSON files and README start with the notice', () => {
    const files = fileMap();
    const imljson = [...files].filter(([path]) => path.endsWith('.iml.json'));

    expect(imljson.length).toBeGreaterThan(40);
    for (const [path, contents] of imljson) {
      expect(`${path}: ${contents.split('\n')[0]}`).toBe(`${path}: ${JSONC_HEADER}`);
    }
    expect(files.get('README.md')?.split('\n')[0]).toBe(MARKDOWN_HEADER);
  });

  test('manifest and groups stay plain JSON', () => {
    const files = fileMap();

    for (const path of ['makecomapp.json', 'modules/groups.json']) {
      expect(() => parseJson(files.get(path) ?? '', path)).not.toThrow();
    }
  });

  test('each catalog event type has webhook and trigger', () => {
    const input = catalogInput();
    const files = fileMap(input);
    const manifest = jsonOf(files, 'makecomapp.json') as {
      components: {
        webhook: Record<string, unknown>;
        module: Record<string, { moduleType: string; webhook?: string }>;
      };
    };

    const triggers = Object.values(manifest.components.module).filter(
      (module) => module.moduleType === 'instant_trigger',
    );
    expect(Object.keys(manifest.components.webhook)).toHaveLength(input.eventTypes.length);
    expect(triggers.map((module) => module.webhook).sort()).toEqual(
      Object.keys(manifest.components.webhook).sort(),
    );
  });

  test('new event type adds webhook and trigger', () => {
    const input = catalogInput();
    input.eventTypes.push(ticketOpened);
    const files = fileMap(input);

    const attach = jsonOf(files, 'webhooks/ticket-opened/ticket-opened.attach.iml.json') as {
      body: { event_types: string[] };
    };
    const manifest = jsonOf(files, 'makecomapp.json') as {
      components: {
        module: Record<string, { moduleType: string; webhook?: string; label: string }>;
      };
    };
    const samples = jsonOf(
      files,
      'modules/watch-ticket-opened/watch-ticket-opened.samples.iml.json',
    );
    const groups = JSON.parse(files.get('modules/groups.json') ?? '[]') as {
      label: string;
      modules: string[];
    }[];

    expect(attach.body.event_types).toEqual(['ticket.opened']);
    expect(manifest.components.module['watchTicketOpened']).toMatchObject({
      moduleType: 'instant_trigger',
      webhook: 'ticketOpened',
      label: 'Watch Ticket Opened',
    });
    expect(samples).toEqual(ticketOpened.sample);
    expect(groups).toContainEqual({ label: 'Tickets', modules: ['watchTicketOpened'] });
  });

  test('trigger interface follows the data schema', () => {
    const input = catalogInput();
    input.eventTypes.push(ticketOpened);
    const files = fileMap(input);

    const fields = jsonOf(
      files,
      'modules/watch-ticket-opened/watch-ticket-opened.interface.iml.json',
    ) as unknown as {
      name: string;
      type: string;
      spec?: { name: string; type: string }[];
    }[];
    const data = fields.find((field) => field.name === 'data');

    expect(fields.map((field) => field.name)).toEqual([
      'event_id',
      'event_type',
      'created_at',
      'data',
    ]);
    expect(data?.spec?.map((field) => [field.name, field.type])).toEqual([
      ['id', 'text'],
      ['subject', 'text'],
      ['priority', 'text'],
      ['opened_at', 'date'],
    ]);
  });

  test('event type with an overlong id is rejected', () => {
    const input = catalogInput();
    input.eventTypes.push({
      ...ticketOpened,
      type: 'subscription_agreement.renewal_reminder_sent',
    });

    expect(() => generateMakeApp(input)).toThrow(
      /webhook id "subscriptionAgreementRenewalReminderSent"/,
    );
  });

  test('empty catalog is rejected', () => {
    const input = catalogInput();
    input.eventTypes = [];

    expect(() => generateMakeApp(input)).toThrow(/no event types/);
  });

  test('origins are copied into the manifest', () => {
    const origin = {
      label: 'Production',
      baseUrl: 'https://eu1.make.com/api',
      appId: 'acme-crm-1a2b3c',
      appVersion: 1,
      apikeyFile: '../.secrets/apikey',
    };
    const files = fileMap(catalogInput([origin]));

    expect(jsonOf(files, 'makecomapp.json')['origins']).toEqual([origin]);
  });

  test('committed make-app matches the generator', () => {
    const difference = diffAppDirectory(
      APP_DIR,
      generateMakeApp(catalogInput(readOrigins(ORIGINS_FILE))),
    );

    expect(difference).toEqual({ missing: [], changed: [], extra: [] });
  });
});

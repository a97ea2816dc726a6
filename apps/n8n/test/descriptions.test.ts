import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { brand, catalog, eventTypes } from '@app/api-client';
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { AcmeCrm } from '../nodes/AcmeCrm/AcmeCrm.node';
import { AcmeCrmTrigger } from '../nodes/AcmeCrmTrigger/AcmeCrmTrigger.node';

const manifest = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
  name: string;
  n8n: { nodes: string[] };
};

function optionsOf(property: INodeProperties | undefined): INodePropertyOptions[] {
  return (property?.options ?? []) as INodePropertyOptions[];
}

describe('node descriptions', () => {
  test('trigger offers every catalog event type', () => {
    const events = new AcmeCrmTrigger().description.properties.find(
      (property) => property.name === 'events',
    );
    const options = optionsOf(events);

    expect(options[0]?.value).toBe('*');
    expect(
      options
        .slice(1)
        .map((option) => option.value)
        .sort(),
    ).toEqual([...eventTypes].sort());
    for (const option of options.slice(1)) {
      const definition = catalog[option.value as keyof typeof catalog];
      expect(option.name).toBe(definition.title);
      expect(`${String(option.description)}.`).toBe(definition.description);
    }
  });

  test('trigger options are sorted by title', () => {
    const events = new AcmeCrmTrigger().description.properties.find(
      (property) => property.name === 'events',
    );
    const names = optionsOf(events)
      .slice(1)
      .map((option) => option.name);

    expect(names).toEqual([...names].sort((left, right) => left.localeCompare(right, 'en')));
  });

  test('publish offers every catalog event type', () => {
    const eventType = new AcmeCrm().description.properties.find(
      (property) => property.name === 'eventType',
    );

    expect(
      optionsOf(eventType)
        .map((option) => option.value)
        .sort(),
    ).toEqual([...eventTypes].sort());
  });

  test('every contact operation has a handler', () => {
    const operation = new AcmeCrm().description.properties.find(
      (property) =>
        property.name === 'operation' &&
        property.displayOptions?.show?.['resource']?.[0] === 'contact',
    );

    expect(optionsOf(operation).map((option) => option.value)).toEqual([
      'create',
      'delete',
      'findByEmail',
      'get',
      'getAll',
      'update',
    ]);
  });

  test('display names carry the brand name', () => {
    expect(new AcmeCrm().description.displayName).toBe(brand.name);
    expect(new AcmeCrmTrigger().description.displayName).toBe(`${brand.name} Trigger`);
  });

  test('codex files name the nodes', () => {
    for (const [file, node] of [
      ['nodes/AcmeCrm/AcmeCrm.node.json', new AcmeCrm()],
      ['nodes/AcmeCrmTrigger/AcmeCrmTrigger.node.json', new AcmeCrmTrigger()],
    ] as const) {
      const codex = JSON.parse(readFileSync(join(__dirname, '..', file), 'utf8')) as {
        node: string;
      };
      expect(codex.node).toBe(`${manifest.name}.${node.description.name}`);
    }
  });
});

import {
  eventTypes,
  sampleEvent,
  type EventTypeDescription,
  type JsonSchema,
} from '@app/api-client';
import {
  defineCreate,
  type Bundle,
  type PlainInputField,
  type PlainOutputField,
  type ZObject,
} from 'zapier-platform-core';

import { apiUrl } from '../api-url.js';
import { listEventTypes } from '../event-types.js';
import {
  describeSchema,
  inputFieldsFromSchema,
  itemsOf,
  outputFieldsFromSchema,
  propertiesOf,
  type SchemaShape,
} from '../fields/json-schema-fields.js';
import { labelFromKey } from '../fields/labels.js';
import { nounOf, toEventItem, type EventItem } from '../triggers/event-item.js';

/** Prefix of the input fields that hold `data` properties: `data__email` sets `data.email`. */
export const DATA_FIELD_PREFIX = 'data__';

/** Key of the JSON field offered when the event type is not in the server's list, for example a mapped value. */
export const RAW_DATA_FIELD = 'data_json';

const rawDataField: PlainInputField = {
  key: RAW_DATA_FIELD,
  label: 'Data (JSON)',
  type: 'text',
  required: true,
  helpText:
    'The event data as a JSON object, such as `{"email": "ada@example.com"}`. The API validates it against the schema of the event type.',
};

async function findEventType(
  z: ZObject,
  bundle: Bundle,
  type: string,
): Promise<EventTypeDescription | undefined> {
  if (type === '') {
    return undefined;
  }
  const types = await listEventTypes(z, bundle);
  return types.find((item) => item.type === type);
}

/** One input field per property of the chosen event type's `data` schema, as `GET /v1/event-types` returns it. */
async function dataInputFields(z: ZObject, bundle: Bundle): Promise<PlainInputField[]> {
  const type = String(bundle.inputData['event_type'] ?? '');
  if (type === '') {
    return [];
  }
  const description = await findEventType(z, bundle, type);
  return description
    ? inputFieldsFromSchema(description.schema, { keyPrefix: DATA_FIELD_PREFIX })
    : [rawDataField];
}

/** Describes the `data` output of the chosen event type, so later steps can map its fields before a test run. */
async function dataOutputFields(z: ZObject, bundle: Bundle): Promise<PlainOutputField[]> {
  const type = String(bundle.inputData['event_type'] ?? '');
  const description = await findEventType(z, bundle, type);
  if (!description) {
    return [];
  }
  return outputFieldsFromSchema(description.schema, {
    keyPrefix: DATA_FIELD_PREFIX,
    labelPrefix: nounOf(type),
  });
}

/**
 * Builds `data` from the `data__*` input fields, converting the text Zapier may pass into the JSON type that the
 * schema requires. A required nullable property left empty becomes `null`, and any other empty property is left out.
 * The server validates the result, so a value that cannot be converted is sent as entered and rejected with a reason.
 */
export function dataFromInput(
  z: ZObject,
  schema: JsonSchema,
  inputData: Record<string, unknown>,
): Record<string, unknown> {
  const required = new Set(
    Array.isArray(schema['required']) ? (schema['required'] as string[]) : [],
  );
  const data: Record<string, unknown> = {};

  for (const [name, property] of propertiesOf(schema)) {
    const value = inputData[`${DATA_FIELD_PREFIX}${name}`];
    const shape = describeSchema(property);
    if (isEmpty(value)) {
      if (required.has(name) && shape.nullable) {
        data[name] = null;
      }
      continue;
    }
    data[name] = coerce(z, shape, value, labelFromKey(name));
  }

  return data;
}

/** Parses the Data (JSON) field; throws a Zapier error when it is not a JSON object. */
export function parseDataJson(z: ZObject, value: unknown): Record<string, unknown> {
  const parsed =
    typeof value === 'string' ? parseJson(z, value, rawDataField.label ?? RAW_DATA_FIELD) : value;
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new z.errors.Error(
      'Data (JSON) must be a JSON object, such as {"email": "ada@example.com"}.',
      'invalid_json',
      400,
    );
  }
  return parsed as Record<string, unknown>;
}

function coerce(z: ZObject, shape: SchemaShape, value: unknown, label: string): unknown {
  switch (shape.type) {
    case 'integer':
    case 'number':
      return typeof value === 'string' && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(value.trim())
        ? Number(value)
        : value;
    case 'boolean':
      return typeof value === 'string' ? parseBoolean(value) : value;
    case 'string':
      return typeof value === 'string' ? value : String(value);
    case 'array': {
      const itemShape = describeSchema(itemsOf(shape.schema));
      const items = Array.isArray(value)
        ? value
        : typeof value === 'string' && value.trim().startsWith('[')
          ? parseJson(z, value, label)
          : [value];
      return Array.isArray(items) ? items.map((item) => coerce(z, itemShape, item, label)) : items;
    }
    default:
      // Objects and unions come from a text field that contains JSON.
      return typeof value === 'string' ? parseJson(z, value, label) : value;
  }
}

function parseBoolean(value: string): boolean | string {
  const normalized = value.trim().toLowerCase();
  if (['true', 'yes', '1'].includes(normalized)) {
    return true;
  }
  if (['false', 'no', '0'].includes(normalized)) {
    return false;
  }
  return value;
}

function parseJson(z: ZObject, text: string, label: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new z.errors.Error(
      `${label} must be valid JSON: ${(error as Error).message}.`,
      'invalid_json',
      400,
    );
  }
}

function isEmpty(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === '' ||
    (Array.isArray(value) && value.length === 0)
  );
}

async function perform(z: ZObject, bundle: Bundle): Promise<EventItem> {
  const type = String(bundle.inputData['event_type'] ?? '');
  const description = await findEventType(z, bundle, type);
  const data = description
    ? dataFromInput(z, description.schema, bundle.inputData)
    : parseDataJson(z, bundle.inputData[RAW_DATA_FIELD]);

  const response = await z.request({
    url: apiUrl(z, bundle, '/events'),
    method: 'POST',
    body: { event_type: type, data },
  });
  return toEventItem(response.data);
}

const [firstType] = eventTypes;
const { data: _sampleData, ...sampleEnvelope } = firstType
  ? toEventItem(sampleEvent(firstType))
  : { id: '', event_type: '', created_at: '', data: {} };

/**
 * Publish Event: `POST /v1/events` with an event type picked from `GET /v1/event-types` and one input field per
 * property of its data schema. Outputs the published event in the shape the event triggers output.
 */
export const publishEvent = defineCreate({
  key: 'publish_event',
  noun: 'Event',
  display: {
    label: 'Publish Event',
    description:
      'Publishes an event of a chosen type and delivers it to every endpoint subscribed to that type.',
  },
  operation: {
    perform,
    inputFields: [
      {
        key: 'event_type',
        label: 'Event Type',
        type: 'string',
        required: true,
        dynamic: 'event_type_list.id.label',
        altersDynamicFields: true,
        helpText: 'The type of event to publish. Its data fields appear below once you pick one.',
      },
      dataInputFields,
    ],
    outputFields: [
      { key: 'id', label: 'Event ID', type: 'string' },
      { key: 'event_type', label: 'Event Type', type: 'string' },
      { key: 'created_at', label: 'Event Created At', type: 'datetime' },
      dataOutputFields,
    ],
    // The data fields depend on the event type, so the static sample contains the envelope fields only.
    sample: sampleEnvelope,
  },
});

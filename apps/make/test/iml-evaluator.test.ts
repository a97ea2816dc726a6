import { evaluateTemplate, evaluateValue } from './support/iml-evaluator';

describe('evaluateTemplate', () => {
  const context = {
    parameters: { contactId: 'con_1', email: 'ada@example.com', tags: ['a'] },
    body: { detail: 'Email is invalid.', field: 'email', title: 'Unprocessable Entity' },
    statusCode: 422,
  };

  test('lone expression keeps an object', () => {
    expect(evaluateTemplate('{{parameters}}', context)).toEqual(context.parameters);
  });

  test('lone expression keeps a number', () => {
    expect(evaluateTemplate('{{statusCode}}', context)).toBe(422);
  });

  test('text with expressions is a string', () => {
    expect(evaluateTemplate('/contacts/{{parameters.contactId}}', context)).toBe('/contacts/con_1');
  });

  test('missing value renders as empty text', () => {
    expect(evaluateTemplate('[{{body.code}}]', context)).toBe('[]');
  });

  test('missing value alone is undefined', () => {
    expect(evaluateTemplate('{{parameters.company}}', context)).toBeUndefined();
  });

  test('ifempty falls back for undefined, null and empty text', () => {
    expect(evaluateTemplate("{{ifempty(body.missing, 'x')}}", context)).toBe('x');
    expect(evaluateTemplate("{{ifempty(body.none, 'x')}}", { body: { none: null } })).toBe('x');
    expect(evaluateTemplate("{{ifempty(body.blank, 'x')}}", { body: { blank: '' } })).toBe('x');
    expect(evaluateTemplate("{{ifempty(body.detail, 'x')}}", context)).toBe('Email is invalid.');
  });

  test('if chooses by truthiness', () => {
    expect(evaluateTemplate("{{if(body.field, body.field + ': ', '')}}", context)).toBe('email: ');
    expect(evaluateTemplate("{{if(body.other, 'yes', 'no')}}", context)).toBe('no');
  });

  test('plus adds numbers and joins text', () => {
    expect(evaluateTemplate('{{statusCode + 1}}', context)).toBe(423);
    expect(evaluateTemplate("{{'[' + statusCode + ']'}}", context)).toBe('[422]');
  });

  test('omit drops keys', () => {
    expect(evaluateTemplate("{{omit(parameters, 'contactId')}}", context)).toEqual({
      email: 'ada@example.com',
      tags: ['a'],
    });
  });

  test('unknown function fails', () => {
    expect(() => evaluateTemplate('{{length(parameters.tags)}}', context)).toThrow(
      /outside the subset/,
    );
  });
});

describe('evaluateValue', () => {
  test('drops keys whose value is undefined', () => {
    expect(
      evaluateValue(
        { email: '{{parameters.email}}', limit: '{{parameters.limit}}' },
        { parameters: { email: 'a@b.c' } },
      ),
    ).toEqual({
      email: 'a@b.c',
    });
  });

  test('evaluates arrays and keeps literals', () => {
    expect(evaluateValue({ event_types: ['contact.created'], n: 2, on: true }, {})).toEqual({
      event_types: ['contact.created'],
      n: 2,
      on: true,
    });
  });
});

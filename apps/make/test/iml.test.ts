import {
  ImlSyntaxError,
  parseExpression,
  parseTemplate,
  singleExpression,
} from '../src/validation/iml';
import { checkImlReferences } from '../src/validation/iml-references';
import { validateAppFiles } from '../src/validation/validate-app';
import { generatedFiles, mutateJson, parseApp } from './support/app-files';

type Json = Record<string, unknown> & unknown[];

describe('parseExpression', () => {
  test('path', () => {
    expect(parseExpression('body.next_cursor')).toEqual({
      kind: 'path',
      segments: ['body', 'next_cursor'],
    });
  });

  test('nested calls with string literals', () => {
    expect(parseExpression("ifempty(body.detail, ifempty(body.title, 'It failed.'))")).toEqual({
      kind: 'call',
      name: 'ifempty',
      args: [
        { kind: 'path', segments: ['body', 'detail'] },
        {
          kind: 'call',
          name: 'ifempty',
          args: [
            { kind: 'path', segments: ['body', 'title'] },
            { kind: 'literal', value: 'It failed.' },
          ],
        },
      ],
    });
  });

  test('concatenation is left-associative', () => {
    expect(parseExpression("a + ': ' + b")).toEqual({
      kind: 'add',
      left: {
        kind: 'add',
        left: { kind: 'path', segments: ['a'] },
        right: { kind: 'literal', value: ': ' },
      },
      right: { kind: 'path', segments: ['b'] },
    });
  });

  test('keywords and numbers', () => {
    expect(parseExpression('if(true, 10, null)')).toEqual({
      kind: 'call',
      name: 'if',
      args: [
        { kind: 'literal', value: true },
        { kind: 'literal', value: 10 },
        { kind: 'literal', value: null },
      ],
    });
  });

  test.each([
    ['', /empty expression/],
    ['body.', /expected a property name/],
    ["'open", /unterminated string/],
    ['a b', /unexpected token 2/],
    ['f(a,', /unexpected end/],
    ['a = b', /unexpected character "="/],
  ])('rejects %p', (source, message) => {
    expect(() => parseExpression(source)).toThrow(message);
  });
});

describe('parseTemplate', () => {
  test('splits text and expressions', () => {
    expect(parseTemplate('/contacts/{{parameters.contactId}}')).toEqual([
      { kind: 'text', text: '/contacts/' },
      {
        kind: 'expression',
        source: 'parameters.contactId',
        node: { kind: 'path', segments: ['parameters', 'contactId'] },
      },
    ]);
  });

  test('a lone expression keeps its type', () => {
    expect(singleExpression(parseTemplate('{{parameters}}'))).toEqual({
      kind: 'path',
      segments: ['parameters'],
    });
    expect(singleExpression(parseTemplate('x{{parameters}}'))).toBeUndefined();
  });

  test('braces inside a string literal', () => {
    expect(parseTemplate("{{ifempty(a, '}}')}}")).toHaveLength(1);
  });

  test('rejects an unclosed expression', () => {
    expect(() => parseTemplate('{{body.id')).toThrow(ImlSyntaxError);
  });

  test('rejects a stray closing brace pair', () => {
    expect(() => parseTemplate('body.id}}')).toThrow(/unexpected "}}"/);
  });
});

describe('checkImlReferences', () => {
  const files = generatedFiles();

  function referenceErrors(path: string, mutate: (value: Json) => void): string {
    const broken = mutateJson(files, path, mutate);
    const validation = validateAppFiles(broken);
    return validation.errors.join('\n');
  }

  test('generated app has no dangling reference', () => {
    expect(checkImlReferences(parseApp(files))).toEqual([]);
  });

  test('undeclared parameter', () => {
    const errors = referenceErrors(
      'modules/get-contact/get-contact.communication.iml.json',
      (request) => {
        request['url'] = '/contacts/{{parameters.contact}}';
      },
    );

    expect(errors).toMatch(
      /get-contact\.communication\.iml\.json: url: \{\{parameters\.contact\}\} refers to parameters\.contact, which is not declared/,
    );
  });

  test('undeclared connection parameter', () => {
    const errors = referenceErrors('general/base.iml.json', (base) => {
      base['headers'] = { authorization: 'Bearer {{connection.token}}' };
    });

    expect(errors).toMatch(
      /base\.iml\.json: headers\.authorization: \{\{connection\.token\}\} refers to connection\.token/,
    );
  });

  test('webhook value attach does not store', () => {
    const errors = referenceErrors(
      'webhooks/invoice-paid/invoice-paid.detach.iml.json',
      (detach) => {
        detach['url'] = '/endpoints/{{webhook.externalHookId}}';
      },
    );

    expect(errors).toMatch(
      /refers to webhook\.externalHookId, which is not declared \(declared: endpointId, secret\)/,
    );
  });

  test('webhook url outside attach', () => {
    const errors = referenceErrors(
      'webhooks/invoice-paid/invoice-paid.detach.iml.json',
      (detach) => {
        detach['url'] = '/endpoints?url={{webhook.url}}';
      },
    );

    expect(errors).toMatch(/refers to webhook\.url, which is not declared/);
  });

  test('response body in the request part', () => {
    const errors = referenceErrors(
      'modules/get-contact/get-contact.communication.iml.json',
      (request) => {
        request['url'] = '/contacts/{{body.id}}';
      },
    );

    expect(errors).toMatch(/refers to "body", which is not available here/);
  });

  test('item without iterate', () => {
    const errors = referenceErrors(
      'modules/get-contact/get-contact.communication.iml.json',
      (request) => {
        request['response'] = { output: '{{item}}' };
      },
    );

    expect(errors).toMatch(/\{\{item\}\} refers to "item", which is not available here/);
  });

  test('function outside the emitted subset', () => {
    const errors = referenceErrors(
      'modules/get-contact/get-contact.communication.iml.json',
      (request) => {
        request['response'] = { output: '{{toString(body)}}' };
      },
    );

    expect(errors).toMatch(/calls toString\(\), which is not one of the functions/);
  });

  test('omit of an undeclared parameter', () => {
    const errors = referenceErrors(
      'modules/update-contact/update-contact.communication.iml.json',
      (request) => {
        request['body'] = "{{omit(parameters, 'id')}}";
      },
    );

    expect(errors).toMatch(/omits parameters\.id, which is not declared/);
  });

  test('wrong number of arguments', () => {
    const errors = referenceErrors('general/base.iml.json', (base) => {
      const error = (base['response'] as { error: Record<string, unknown> }).error;
      error['message'] = '{{ifempty(body.detail)}}';
    });

    expect(errors).toMatch(/calls ifempty\(\) with 1 arguments/);
  });
});

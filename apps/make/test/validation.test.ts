import { moduleTypeIds, parameterTypes } from '../src/make-format';
import { JSONC_HEADER } from '../src/layout';
import { parseJsonc } from '../src/validation/jsonc';
import { validateAppFiles } from '../src/validation/validate-app';
import { generatedFiles, mutateJson, parseApp } from './support/app-files';

type Json = Record<string, unknown> & unknown[];

const MANIFEST = 'makecomapp.json';
const CREATE = 'modules/create-contact/create-contact';

function errorsOf(files: ReadonlyMap<string, string>): string {
  return validateAppFiles(files).errors.join('\n');
}

function modules(manifest: Json): Record<string, Record<string, unknown>> {
  return (
    (manifest['components'] as Record<string, Record<string, Record<string, unknown>>>)['module'] ??
    {}
  );
}

describe('validateAppFiles on the generated app', () => {
  const files = generatedFiles();

  test('generated app passes every check', () => {
    expect(validateAppFiles(files).errors).toEqual([]);
  });

  test('manifest references exactly the generated files', () => {
    const manifest = JSON.parse(files.get(MANIFEST) ?? '{}') as {
      generalCodeFiles: Record<string, string | null>;
      components: Record<string, Record<string, { codeFiles: Record<string, string> }>>;
    };
    const referenced = new Set<string>([MANIFEST]);
    Object.values(manifest.generalCodeFiles).forEach((path) => path && referenced.add(path));
    for (const components of Object.values(manifest.components)) {
      for (const component of Object.values(components)) {
        Object.values(component.codeFiles).forEach((path) => referenced.add(path));
      }
    }

    expect([...referenced].sort()).toEqual([...files.keys()].sort());
  });

  test('module type names map to Make type ids', () => {
    const app = parseApp(files);
    const types = [...app.modules.values()].map((module) => module.moduleType);

    expect(new Set(types)).toEqual(new Set(['instant_trigger', 'action', 'search']));
    for (const type of types) {
      expect(moduleTypeIds).toHaveProperty(type);
    }
  });

  test('actions declare the right crud', () => {
    const manifest = JSON.parse(files.get(MANIFEST) ?? '{}') as Json;
    const crud = Object.fromEntries(
      Object.entries(modules(manifest)).map(([id, module]) => [id, module['actionCrud']]),
    );

    expect(crud).toMatchObject({
      createContact: 'create',
      updateContact: 'update',
      getContact: 'read',
      deleteContact: 'delete',
      publishEvent: 'create',
      searchContacts: undefined,
    });
  });

  test('every parameter type is documented', () => {
    const app = parseApp(files);
    const seen = new Set<string>();
    const visit = (parameters: { type: string; spec?: unknown }[]): void => {
      for (const parameter of parameters) {
        seen.add(parameter.type);
        if (Array.isArray(parameter.spec)) {
          visit(parameter.spec as { type: string }[]);
        } else if (parameter.spec) {
          visit([parameter.spec as { type: string }]);
        }
      }
    };
    for (const module of app.modules.values()) {
      visit(module.interface.value);
      visit(module.mappableParams?.value ?? []);
    }

    for (const type of seen) {
      expect(parameterTypes).toContain(type);
    }
  });
});

describe('validateAppFiles rejects', () => {
  const files = generatedFiles();

  test('unknown module type', () => {
    const broken = mutateJson(files, MANIFEST, (manifest) => {
      (modules(manifest)['getContact'] as Record<string, unknown>)['moduleType'] = 'poller';
    });

    expect(errorsOf(broken)).toMatch(
      /makecomapp\.json: components\.module\.getContact\.moduleType/,
    );
  });

  test('action without crud', () => {
    const broken = mutateJson(files, MANIFEST, (manifest) => {
      delete (modules(manifest)['getContact'] as Record<string, unknown>)['actionCrud'];
    });

    expect(errorsOf(broken)).toMatch(/an action module declares its crud/);
  });

  test('unknown code type in codeFiles', () => {
    const broken = mutateJson(files, MANIFEST, (manifest) => {
      const codeFiles = (modules(manifest)['getContact'] as { codeFiles: Record<string, string> })
        .codeFiles;
      codeFiles['expect'] = 'modules/get-contact/get-contact.expect.iml.json';
    });

    expect(errorsOf(broken)).toMatch(/codeFiles/);
  });

  test('code file named against the layout', () => {
    const broken = mutateJson(files, MANIFEST, (manifest) => {
      const codeFiles = (modules(manifest)['getContact'] as { codeFiles: Record<string, string> })
        .codeFiles;
      codeFiles['samples'] = 'modules/get-contact/get-contact.interface.iml.json';
    });

    expect(errorsOf(broken)).toMatch(
      /codeFiles\.samples is .*, expected "modules\/get-contact\/get-contact\.samples\.iml\.json"/,
    );
  });

  test('file the manifest does not reference', () => {
    const broken = new Map(files);
    broken.set('modules/stray/stray.samples.iml.json', `${JSONC_HEADER}\n{}\n`);

    expect(errorsOf(broken)).toMatch(
      /modules\/stray\/stray\.samples\.iml\.json: present but not referenced/,
    );
  });

  test('referenced file that is missing', () => {
    const broken = new Map(files);
    broken.delete(`${CREATE}.samples.iml.json`);

    expect(errorsOf(broken)).toMatch(
      /create-contact\.samples\.iml\.json: referenced by makecomapp\.json but missing/,
    );
  });

  test('comment in makecomapp.json', () => {
    const broken = new Map(files);
    broken.set(MANIFEST, `${JSONC_HEADER}\n${files.get(MANIFEST) ?? ''}`);

    expect(errorsOf(broken)).toMatch(/makecomapp\.json: invalid JSON/);
  });

  test('comment in groups.json', () => {
    const broken = new Map(files);
    broken.set('modules/groups.json', `${JSONC_HEADER}\n${files.get('modules/groups.json') ?? ''}`);

    expect(errorsOf(broken)).toMatch(/modules\/groups\.json: invalid JSON/);
  });

  test('trailing comma in an IMLJSON file', () => {
    const broken = new Map(files);
    broken.set(
      `${CREATE}.static-params.iml.json`,
      `${JSONC_HEADER}\n[{"name": "x", "type": "text"},]\n`,
    );

    expect(errorsOf(broken)).toMatch(
      /create-contact\.static-params\.iml\.json:2:\d+: invalid JSONC/,
    );
  });

  test('undocumented parameter type', () => {
    const broken = mutateJson(files, `${CREATE}.mappable-params.iml.json`, (parameters) => {
      (parameters[0] as Record<string, unknown>)['type'] = 'string';
    });

    expect(errorsOf(broken)).toMatch(/create-contact\.mappable-params\.iml\.json: 0\.type/);
  });

  test('IML in a parameter label', () => {
    const broken = mutateJson(files, `${CREATE}.mappable-params.iml.json`, (parameters) => {
      (parameters[0] as Record<string, unknown>)['label'] = '{{parameters.email}}';
    });

    expect(errorsOf(broken)).toMatch(/0\.label: IML is not evaluated here/);
  });

  test('IML in samples', () => {
    const broken = mutateJson(files, `${CREATE}.samples.iml.json`, (sample) => {
      sample['email'] = '{{body.email}}';
    });

    expect(errorsOf(broken)).toMatch(
      /create-contact\.samples\.iml\.json: email: IML is not evaluated here/,
    );
  });

  test('select without options', () => {
    const broken = mutateJson(
      files,
      'modules/publish-event/publish-event.mappable-params.iml.json',
      (parameters) => {
        delete (parameters[0] as Record<string, unknown>)['options'];
      },
    );

    expect(errorsOf(broken)).toMatch(/a select parameter needs options/);
  });

  test('options from an RPC that does not exist', () => {
    const broken = mutateJson(
      files,
      'modules/publish-event/publish-event.mappable-params.iml.json',
      (parameters) => {
        (parameters[0] as Record<string, unknown>)['options'] = 'rpc://listEventKinds';
      },
    );

    expect(errorsOf(broken)).toMatch(/"rpc:\/\/listEventKinds", which is not an RPC of the app/);
  });

  test('POST without a body', () => {
    const broken = mutateJson(files, `${CREATE}.communication.iml.json`, (request) => {
      delete request['body'];
    });

    expect(errorsOf(broken)).toMatch(/body: a POST request needs a body/);
  });

  test('unknown error type', () => {
    const broken = mutateJson(files, 'general/base.iml.json', (base) => {
      const error = (base['response'] as { error: Record<string, { type: string }> }).error;
      (error['429'] as { type: string }).type = 'TooManyRequestsError';
    });

    expect(errorsOf(broken)).toMatch(/general\/base\.iml\.json: response\.error/);
  });

  test('unknown request directive', () => {
    const broken = mutateJson(files, `${CREATE}.communication.iml.json`, (request) => {
      request['retries'] = 3;
    });

    expect(errorsOf(broken)).toMatch(/create-contact\.communication\.iml\.json: .*retries/);
  });

  test('malformed IML', () => {
    const broken = mutateJson(files, `${CREATE}.communication.iml.json`, (request) => {
      request['url'] = '/contacts/{{parameters.contactId';
    });

    expect(errorsOf(broken)).toMatch(/missing "}}" after "{{"/);
  });

  test('module in no group', () => {
    const broken = mutateJson(files, 'modules/groups.json', (groups) => {
      const contacts = groups[0] as { modules: string[] };
      contacts.modules = contacts.modules.filter((id) => id !== 'getContact');
    });

    expect(errorsOf(broken)).toMatch(/module "getContact" is in 0 groups/);
  });

  test('instant trigger with an unknown webhook', () => {
    const broken = mutateJson(files, MANIFEST, (manifest) => {
      (modules(manifest)['watchInvoicePaid'] as Record<string, unknown>)['webhook'] =
        'invoiceVoided';
    });

    expect(errorsOf(broken)).toMatch(
      /module watchInvoicePaid: webhook "invoiceVoided" is not a webhook/,
    );
  });

  test('module id against Make rules', () => {
    const broken = mutateJson(files, MANIFEST, (manifest) => {
      const all = modules(manifest);
      all['get-contact'] = all['getContact'] as Record<string, unknown>;
      delete all['getContact'];
    });

    expect(errorsOf(broken)).toMatch(/invalid module id/);
  });
});

describe('parseJsonc', () => {
  test('ignores line and block comments', () => {
    expect(parseJsonc('// header\n{ /* inline */ "a": 1 }\n', 'x.iml.json')).toEqual({ a: 1 });
  });

  test('reports line and column', () => {
    expect(() => parseJsonc('// header\n{ "a": }\n', 'x.iml.json')).toThrow(
      /x\.iml\.json:2:\d+: invalid JSONC \(ValueExpected\)/,
    );
  });
});

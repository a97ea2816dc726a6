import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/** What @seriousme/openapi-schema-validator reported about a document. */
export interface OpenApiValidation {
  valid: boolean;
  version: string;
  errors: unknown;
  /** True when every `$ref` of a valid document resolved. */
  refsResolved: boolean;
}

/**
 * Validates a document against the OpenAPI schema of its version with @seriousme/openapi-schema-validator. The
 * package is ESM-only, so it runs in a child Node process on a temporary copy of the document.
 */
export function validateOpenApi(document: unknown): OpenApiValidation {
  const folder = mkdtempSync(join(tmpdir(), 'openapi-'));
  try {
    const file = join(folder, 'openapi.json');
    writeFileSync(file, JSON.stringify(document));
    const output = execFileSync(process.execPath, [join(__dirname, 'validate-openapi.mjs'), file], {
      encoding: 'utf8',
    });
    return JSON.parse(output) as OpenApiValidation;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * Compiles validators for the component schemas of an OpenAPI 3.1 document with Ajv (JSON Schema draft 2020-12,
 * with formats), resolving `#/components/schemas/...` references within the document.
 */
export function componentValidators(document: {
  components: unknown;
}): (name: string) => ValidateFunction {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'https://openapi.test/document.json', components: document.components });

  const compiled = new Map<string, ValidateFunction>();
  return (name) => {
    let validate = compiled.get(name);
    if (!validate) {
      validate = ajv.compile({
        $ref: `https://openapi.test/document.json#/components/schemas/${name}`,
      });
      compiled.set(name, validate);
    }
    return validate;
  };
}

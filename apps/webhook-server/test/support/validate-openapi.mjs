// Validates an OpenAPI document file with @seriousme/openapi-schema-validator, which is ESM-only and so cannot be
// loaded by the CommonJS Jest runtime. Prints {"valid", "version", "errors", "refsResolved"} as JSON on stdout.
import { Validator } from '@seriousme/openapi-schema-validator';

const path = process.argv[2];
if (!path) {
  console.error('usage: node validate-openapi.mjs <document.json>');
  process.exit(2);
}

const validator = new Validator();
const result = await validator.validate(path);
let refsResolved = false;
let refError = null;
if (result.valid) {
  try {
    validator.resolveRefs();
    refsResolved = true;
  } catch (error) {
    refError = String(error);
  }
}
process.stdout.write(
  JSON.stringify({
    valid: result.valid,
    version: validator.version,
    errors: result.errors ?? null,
    refsResolved,
    refError,
  }),
);

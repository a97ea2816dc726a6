export {
  diffAppDirectory,
  isUpToDate,
  readAppDirectory,
  writeAppDirectory,
  type AppDifference,
} from './app-directory.js';
export { buildModel, generateMakeApp, GenerationError } from './generate.js';
export {
  catalogInput,
  type BrandInput,
  type EventTypeInput,
  type GeneratorInput,
} from './input.js';
export {
  GENERATED_NOTICE,
  JSONC_HEADER,
  layoutApp,
  MARKDOWN_HEADER,
  type GeneratedFile,
} from './layout.js';
export * from './make-format.js';
export type * from './model.js';
export { readOrigins, writeOrigins } from './origins.js';
export { APP_DIR, ORIGINS_FILE, PACKAGE_DIR } from './paths.js';
export {
  containsIml,
  ImlSyntaxError,
  parseExpression,
  parseTemplate,
  singleExpression,
  walkIml,
  type ImlNode,
  type TemplatePart,
} from './validation/iml.js';
export { checkImlReferences, imlFunctions } from './validation/iml-references.js';
export { parseJson, parseJsonc } from './validation/jsonc.js';
export type { ParsedApp } from './validation/parsed-app.js';
export { validateAppFiles, type AppValidation } from './validation/validate-app.js';

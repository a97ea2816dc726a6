// The lint rules n8n applies to community node packages: the configuration `n8n-node lint` (@n8n/node-cli 0.48)
// runs in strict mode, with n8n Cloud support, rebuilt from the same plugins so the monorepo does not install the
// CLI and its dependencies. It covers the shipped sources (credentials/, nodes/) and package.json; tests and build
// scripts are never shipped and follow the repository's root config. `eslint.dist.config.mjs` applies the same
// community rules to the bundled JavaScript in dist/, which is what n8n's verification scanner reads.
import js from '@eslint/js';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importPlugin from 'eslint-plugin-import-x';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import tseslint from 'typescript-eslint';

const communityRules = n8nCommunityNodesPlugin.configs.recommended;
const shippedSources = ['credentials/**/*.ts', 'nodes/**/*.ts'];

export default tseslint.config(
  { ignores: ['dist/**', 'test/**', 'scripts/**', '**/*.js', '**/*.mjs'] },
  {
    files: shippedSources,
    extends: [
      js.configs.recommended,
      tseslint.configs.recommended,
      communityRules,
      importPlugin.flatConfigs.recommended,
    ],
    rules: {
      'prefer-spread': 'off',
      'no-console': 'error',
    },
  },
  {
    plugins: { 'n8n-nodes-base': n8nNodesBase },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver()],
    },
  },
  {
    files: ['package.json'],
    extends: [communityRules],
    rules: { ...n8nNodesBase.configs.community.rules },
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { extraFileExtensions: ['.json'] },
    },
  },
  {
    files: ['credentials/**/*.ts'],
    rules: {
      ...n8nNodesBase.configs.credentials.rules,
      'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
      'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
    },
  },
  {
    files: ['nodes/**/*.ts'],
    rules: {
      ...n8nNodesBase.configs.nodes.rules,
      'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
      'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
      'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
    },
  },
);

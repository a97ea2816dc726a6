// n8n's community and cloud rules (restricted globals and imports, no eval or Function constructor, no hard-coded
// secrets, ...) applied to the bundled JavaScript in dist/, the code n8n's verification scanner reads. The
// TypeScript sources pass the same rules in eslint.config.mjs; this run proves the bundler added nothing they
// forbid.
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';

export default [
  {
    files: ['dist/**/*.js'],
    ...n8nCommunityNodesPlugin.configs.recommended,
    languageOptions: { ecmaVersion: 2022, sourceType: 'commonjs' },
  },
];

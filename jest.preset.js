// Shared Jest settings: TypeScript compiled to CommonJS by SWC; tests live in each package's test/ folder.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j|mj)s$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  reporters: ['default', require.resolve('./.ci/jest-summary-reporter.cjs')],
  // Fastify 5 pulls in ESM-only helpers; let SWC turn them into CommonJS.
  transformIgnorePatterns: ['/node_modules/(?!(\\.pnpm/)?(cookie|set-cookie-parser)[@/])'],
};

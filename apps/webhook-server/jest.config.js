module.exports = {
  ...require('../../jest.preset.js'),
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  // End-to-end suites start servers and receivers; two workers keep a 2-core machine responsive.
  maxWorkers: 2,
  testTimeout: 30_000,
};

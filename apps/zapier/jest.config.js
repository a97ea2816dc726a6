module.exports = {
  ...require('../../jest.preset.js'),
  // The Zapier CLI toolchain has a package.json of its own, which would collide in Jest's module map.
  modulePathIgnorePatterns: [
    '<rootDir>/.zapier-cli/',
    '<rootDir>/scripts/zapier-cli/',
    '<rootDir>/build/',
  ],
  // nock 14 keeps its request interceptor on globalThis and restores it in each file's afterAll. Jest's cleanup of
  // globals between files would otherwise delete it first and warn.
  testEnvironmentOptions: { globalsCleanup: 'off' },
};

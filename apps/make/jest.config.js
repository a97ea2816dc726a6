module.exports = {
  ...require('../../jest.preset.js'),
  // The round-trip suite starts the reference server and a webhook receiver on 127.0.0.1.
  testTimeout: 30_000,
};

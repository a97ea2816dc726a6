const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  moduleNameMapper: {
    // The nodes import single api-client source modules (see tsconfig.json `paths`).
    '^@app/api-client/src/(.*)\\.js$': '<rootDir>/node_modules/@app/api-client/src/$1',
    ...preset.moduleNameMapper,
  },
};

/* global module, require */
module.exports = { ...require('../../jest.preset.js') };

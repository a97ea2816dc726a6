// Entry point of the Zapier CLI and of the build's `zapierwrapper.js`, which require `index.js` from the app folder
// (CommonJS apps). The app itself is compiled from src/ into dist/.
module.exports = require('./dist/index.js');

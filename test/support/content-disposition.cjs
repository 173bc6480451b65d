// Jest-only stand-in for the ESM-only content-disposition@3 that @fastify/static require()s
// (see jest.config.mjs): the same `create`/`parse` API on top of the CommonJS 0.5 line.
const contentDisposition = require('content-disposition-cjs');

module.exports = {
  create: (filename, options) => contentDisposition(filename, options),
  parse: contentDisposition.parse,
};

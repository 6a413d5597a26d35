// `http` and `node:http` in every function bundle (BUNDLING.alias in ../ServerlessFunction.ts):
// the built-in itself, without an ESM import, whose facade loads undici on Node 22.
// Why: docs/adr/0006-bundling-shims.md
module.exports = process.getBuiltinModule('node:http');

// `http` and `node:http` in every function bundle (BUNDLING.alias in ../ServerlessFunction.ts):
// the built-in module itself, taken without an ESM import. On Node 22 an ESM import of node:http
// builds its ESM facade, which reads every export, and the lazy WebSocket, CloseEvent and
// MessageEvent getters then load undici at each cold start for nothing.
module.exports = process.getBuiltinModule('node:http');

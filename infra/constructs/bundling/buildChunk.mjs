/**
 * `node buildChunk.mjs <entry> <outfile> <options>`: bundles a module a function imports lazily
 * (ServerlessFunction `chunks`) into a file beside its bundle, with the function's own esbuild
 * options (base64url JSON, so that no shell quoting touches them).
 */
import { build } from 'esbuild';

const [entry, outfile, encoded] = process.argv.slice(2);
if (!entry || !outfile || !encoded) {
  console.error('usage: node buildChunk.mjs <entry> <outfile> <base64url options>');
  process.exit(2);
}
const options = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
await build({
  ...options,
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  logLevel: 'warning',
});

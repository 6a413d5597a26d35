import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../infra/bin/createApp.ts';
import { DOCUMENTS_CHUNK, FUNCTIONS } from '../../infra/catalog.ts';
import { ESM_REQUIRE_BANNER } from '../../infra/constructs/ServerlessFunction.ts';
import type { UrnaStack } from '../../infra/stacks/UrnaStack.ts';
import { logicalId, prop, type TemplateResource } from './support.ts';

/**
 * The one synth that really bundles: every handler goes through esbuild, locally, no Docker,
 * exactly as `npm run synth` and `cdk deploy` do it.
 */
let outdir: string;
let stack: UrnaStack;
let resources: Record<string, TemplateResource>;

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'urna-cdk-'));
  // cdk-nag and CloudFormation validation do not depend on the bundles: stack.test.ts covers them.
  ({ stack } = createApp({
    outdir,
    nagReports: false,
    cloudFormationValidation: false,
    env: {},
    context: { retain: 'false' },
  }));
  resources = Template.fromStack(stack).toJSON().Resources as Record<string, TemplateResource>;
}, 120_000);

afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
});

function assetDir(name: string): string {
  const fn = stack.functions.get(name);
  if (fn === undefined) throw new Error(`no function ${name}`);
  const r = resources[logicalId(stack, fn.function)];
  if (r === undefined) throw new Error(`no resource for ${name}`);
  const key = prop<{ S3Key: string }>(r, 'Code').S3Key;
  return join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
}

describe('bundling (esbuild, local)', () => {
  it.each([...FUNCTIONS.map((f) => [f.name, f.entry] as const)])(
    '%s (%s): a minified ESM bundle with a source map that exports handler',
    (name) => {
      const dir = assetDir(name);
      const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
      expect(code.startsWith(ESM_REQUIRE_BANNER)).toBe(true);
      expect(code).toMatch(/export\s*\{[^}]*\bas handler\b[^}]*\}|export\s*\{[^}]*\bhandler\b[^}]*\}/);
      expect(code).toContain('//# sourceMappingURL=index.mjs.map');
      expect(existsSync(join(dir, 'index.mjs.map'))).toBe(true);
      const map = JSON.parse(readFileSync(join(dir, 'index.mjs.map'), 'utf8')) as { sources: string[] };
      // The AWS SDK v3 is bundled (tree-shaken), not loaded from the runtime (EXTERNAL_MODULES).
      if (name !== 'OpenApi')
        expect(map.sources.some((s) => s.includes('node_modules/@aws-sdk/'))).toBe(true);
      // node:http never through an ESM import (on Node 22 that loads undici: NODE_HTTP_SHIM).
      expect(code).not.toMatch(/(?:from|import)\s*["'](?:node:)?http["']/);
      if (name !== 'OpenApi') expect(code).toContain('process.getBuiltinModule("node:http")');
      // Credentials from the environment only (CREDENTIALS_SHIM): the default chain's other
      // providers and the STS/SSO clients they bring are not in the bundle.
      for (const left of [
        'credential-provider-node',
        'credential-provider-sso',
        'credential-provider-ini',
        'nested-clients',
      ]) {
        expect(map.sources.some((s) => s.includes(`node_modules/@aws-sdk/${left}/`))).toBe(false);
      }
      if (name !== 'OpenApi')
        expect(map.sources.some((s) => s.includes('credential-provider-env'))).toBe(true);
      // semver is the one-function shim (SEMVER_SHIM), never the package: the only importer is the
      // X-Ray SDK's v2 patcher; a new importer would need the real thing and must be looked at.
      expect(map.sources.some((s) => s.includes('node_modules/semver/'))).toBe(false);
      // jose only through shared/http/jose.ts: what the verifiers use, never its JWE or key tools.
      expect(map.sources.some((s) => /node_modules\/jose\/dist\/webapi\/(?:jwe|key)\//.test(s))).toBe(false);
    },
  );

  it('FileCase carries none of the case lifecycle nor the SQS client', () => {
    // It reaches lifecycle.ts through functions/deps.ts without using it: zod would build every
    // action schema at its cold start (docs/adr/0006-bundling-shims.md).
    const map = JSON.parse(readFileSync(join(assetDir('FileCase'), 'index.mjs.map'), 'utf8')) as {
      sources: string[];
    };
    expect(map.sources.some((s) => s.endsWith('shared/domain/case/status.ts'))).toBe(true);
    expect(map.sources.some((s) => s.endsWith('shared/domain/case/lifecycle.ts'))).toBe(false);
    // Nor the adapters it never asks for: functions/deps.ts's once keeps them out (the SQS client).
    expect(map.sources.some((s) => s.includes('node_modules/@aws-sdk/client-sqs/'))).toBe(false);
  });

  it.each(FUNCTIONS.filter((f) => f.documents !== undefined).map((f) => f.name))(
    '%s: the S3 store in a chunk of its own beside the bundle, loaded only when documents are handled',
    async (name) => {
      const dir = assetDir(name);
      const map = JSON.parse(readFileSync(join(dir, 'index.mjs.map'), 'utf8')) as { sources: string[] };
      expect(map.sources.some((s) => s.includes('node_modules/@aws-sdk/client-s3/'))).toBe(false);
      expect(readFileSync(join(dir, 'index.mjs'), 'utf8')).toContain(DOCUMENTS_CHUNK.file);
      const chunk = join(dir, DOCUMENTS_CHUNK.file);
      expect(existsSync(chunk)).toBe(true);
      const loaded = (await import(chunk)) as { s3BlobStore?: unknown };
      expect(typeof loaded.s3BlobStore).toBe('function');
    },
  );
});

import { createRequire } from 'node:module';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { createDocumentClient, SDK_LOGGER_MIDDLEWARE } from '#adapters/dynamodb/client.ts';
import {
  BUNDLING,
  CREDENTIALS_SHIM,
  NODE_HTTP_SHIM,
  SEMVER_SHIM,
} from '#infra/constructs/ServerlessFunction.ts';

const names = (stack: { identify(): string[] }) => stack.identify().map((m) => m.split(' ')[0]);

describe('the DynamoDB document client', () => {
  it('leaves out the SDK logger middleware (a filtered copy of each call for a no-op logger)', () => {
    // Prepare: the SDK's default stack has it under this name (else this test must follow the SDK).
    expect(names(new DynamoDBClient({}).middlewareStack)).toContain(SDK_LOGGER_MIDDLEWARE);
    // Act
    const db = createDocumentClient();
    // Assess
    expect(names(db.middlewareStack)).not.toContain(SDK_LOGGER_MIDDLEWARE);
    expect(names(db.middlewareStack)).toContain('retryMiddleware');
  });

  it('passes the raw client through the instrumentation hook', () => {
    const seen: unknown[] = [];
    createDocumentClient((client) => {
      seen.push(client);
      return client;
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBeInstanceOf(DynamoDBClient);
  });
});

describe('the node:http bundling shim', () => {
  it('is the built-in module itself, under both names', () => {
    const require = createRequire(import.meta.url);
    expect(require(NODE_HTTP_SHIM)).toBe(require('node:http'));
    expect(BUNDLING.alias).toMatchObject({ http: NODE_HTTP_SHIM, 'node:http': NODE_HTTP_SHIM });
  });
});

describe('the credential-provider bundling shim', () => {
  it('replaces the default chain with the environment provider', async () => {
    expect(BUNDLING.alias['@aws-sdk/credential-provider-node']).toBe(CREDENTIALS_SHIM);
    const { defaultProvider } = (await import(CREDENTIALS_SHIM)) as {
      defaultProvider: () => () => Promise<{ accessKeyId: string }>;
    };
    const saved = { ...process.env };
    try {
      process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
      process.env.AWS_SECRET_ACCESS_KEY = 'secret';
      await expect(defaultProvider()()).resolves.toMatchObject({ accessKeyId: 'AKIDEXAMPLE' });
      delete process.env.AWS_ACCESS_KEY_ID;
      await expect(defaultProvider()()).rejects.toThrow(/environment variable credentials/);
    } finally {
      process.env = saved;
    }
  });
});

describe('the semver bundling shim', () => {
  const require = createRequire(import.meta.url);
  const shim = require(SEMVER_SHIM) as { gte: (a: string, b: string) => boolean };
  const semver = require('semver') as { gte: (a: string, b: string) => boolean };

  it('is what bundles get for semver', () => {
    expect(BUNDLING.alias.semver).toBe(SEMVER_SHIM);
  });

  it('answers gte as semver does (the X-Ray SDK v2 patcher checks 2.7.15)', () => {
    const versions = [
      '2.7.15',
      '2.7.14',
      '2.7.16',
      '2.8.0',
      '2.10.0',
      '3.0.0',
      '1.99.99',
      'v2.7.15',
      '2.7.15-beta.1',
      '2.7.15-rc.1',
      '2.7.16-alpha',
      '10.0.0',
      '2.7.15+build.7',
    ];
    for (const a of versions) {
      for (const b of versions) expect(shim.gte(a, b), `${a} >= ${b}`).toBe(semver.gte(a, b));
    }
  });

  it('refuses what is not a version, as semver does', () => {
    for (const bad of ['', 'x', '2.7', '2.7.x']) {
      expect(() => shim.gte(bad, '2.7.15')).toThrow(TypeError);
      expect(() => semver.gte(bad, '2.7.15')).toThrow(TypeError);
    }
  });
});

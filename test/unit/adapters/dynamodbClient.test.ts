import { createRequire } from 'node:module';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { createDocumentClient, SDK_LOGGER_MIDDLEWARE } from '#adapters/dynamodb/client.ts';
import { BUNDLING, CREDENTIALS_SHIM, NODE_HTTP_SHIM } from '#infra/constructs/ServerlessFunction.ts';

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

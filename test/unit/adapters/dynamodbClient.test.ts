import { createRequire } from 'node:module';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { createDocumentClient, SDK_LOGGER_MIDDLEWARE } from '#adapters/dynamodb/client.ts';
import { BUNDLING, NODE_HTTP_SHIM } from '#infra/constructs/ServerlessFunction.ts';

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
    expect(BUNDLING.alias).toEqual({ http: NODE_HTTP_SHIM, 'node:http': NODE_HTTP_SHIM });
  });
});

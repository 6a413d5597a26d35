/**
 * The local blob store behind the real local HTTP server (infra/local/http.ts), spoken to over
 * loopback with fetch as a browser would: the contract, and the sizes S3 is asked to take.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalBlobStore } from '#adapters/blobs/local.ts';
import { MAX_DOCUMENT_BYTES } from '#domain/documents.ts';
import { blobRoutes } from '#infra/local/blobs.ts';
import { silentLog } from '#infra/local/errors.ts';
import { type LocalHttpServer, startHttpServer } from '#infra/local/http.ts';
import { createRunner } from '#infra/local/lambda.ts';
import {
  type BlobHarness,
  blobStoreContract,
  formBody,
  type HttpAnswer,
} from '#test/support/blobContract.ts';
import { call } from '#test/support/client.ts';

let server: LocalHttpServer;
let store: LocalBlobStore | undefined;
let now = new Date('2026-12-03T15:00:00Z');

beforeAll(async () => {
  server = await startHttpServer({
    port: 0,
    functions: [],
    runner: createRunner({ region: 'us-east-1' }),
    log: silentLog,
    localRoutes: (request) => (store ? blobRoutes(store)(request) : undefined),
  });
  server.open();
});
afterAll(() => server.stop());

const answer = async (response: Response): Promise<HttpAnswer> => ({
  status: response.status,
  headers: response.headers,
  body: new Uint8Array(await response.arrayBuffer()),
});

async function post(
  url: string,
  fields: readonly (readonly [string, string])[],
  file: Uint8Array,
): Promise<HttpAnswer> {
  const { contentType, body } = await formBody(fields, file);
  return answer(await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body }));
}

blobStoreContract(
  'local adapter behind the local HTTP server',
  { uploadPolicy: true, downloadSignature: true, responseHeaders: true },
  async (): Promise<BlobHarness> => {
    now = new Date('2026-12-03T15:00:00Z');
    store = new LocalBlobStore({ baseUrl: server.baseUrl, signingKey: 'k', clock: { now: () => now } });
    return {
      store,
      now: () => now,
      advance: (seconds) => {
        now = new Date(now.getTime() + seconds * 1000);
      },
      post: (target, fields, file) => post(target.url, fields, file),
      get: async (url) => answer(await fetch(url)),
    };
  },
);

describe('sizes through the local HTTP server', () => {
  it('takes a 10 MiB file (the body is over the 10 MB catalog routes take), refuses one byte more as S3 does', async () => {
    // Prepare
    store = new LocalBlobStore({ baseUrl: server.baseUrl, signingKey: 'k' });
    const target = await store.uploadTarget('uploads/big', {
      maxBytes: MAX_DOCUMENT_BYTES,
      expiresInSeconds: 60,
    });
    const fields = Object.entries(target.fields);
    // Act
    const exact = await post(target.url, fields, new Uint8Array(MAX_DOCUMENT_BYTES));
    const over = await post(target.url, fields, new Uint8Array(MAX_DOCUMENT_BYTES + 1));
    // Assess
    expect(exact.status).toBe(204);
    expect(over.status).toBe(400);
    expect(new TextDecoder().decode(over.body)).toContain('<Code>EntityTooLarge</Code>');
    expect(await store.head('uploads/big')).toEqual({ bytes: MAX_DOCUMENT_BYTES });
  });

  it('still answers 413 for a body over 10 MB on any other path', async () => {
    // Act
    const response = await call(server.baseUrl, 'POST', '/v1/cases', {
      raw: 'x'.repeat(10 * 1024 * 1024 + 1),
    });
    // Assess
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ status: 413, title: 'Content Too Large' });
  });
});

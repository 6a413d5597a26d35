import { mkdtemp, readdir, rm } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalBlobStore } from '#adapters/blobs/local.ts';
import { blobRoutes, localBlobs } from '#infra/local/blobs.ts';
import {
  type BlobHarness,
  blobStoreContract,
  formBody,
  type HttpAnswer,
} from '#test/support/blobContract.ts';

const BASE_URL = 'http://127.0.0.1:3999';
const START = new Date('2026-12-03T15:00:00Z');

/** The store's routes called as the local HTTP server calls them (no socket). */
function caller(store: LocalBlobStore) {
  const routes = blobRoutes(store);
  return async (
    method: string,
    url: string,
    headers: IncomingHttpHeaders = {},
    body: Buffer = Buffer.alloc(0),
  ) => {
    const target = new URL(url);
    const answer = await routes({
      method,
      rawPath: target.pathname,
      url: `${target.pathname}${target.search}`,
      headers,
      body,
    });
    if (answer === undefined) return undefined;
    const result: HttpAnswer = {
      status: answer.statusCode,
      headers: new Headers(answer.headers),
      body: new Uint8Array(answer.body),
    };
    return result;
  };
}

function harness(options: { onDisk: boolean }): () => Promise<BlobHarness> {
  return async () => {
    let now = START;
    const dir = options.onDisk ? await mkdtemp(join(tmpdir(), 'urna-blobs-test-')) : undefined;
    const store = new LocalBlobStore({
      baseUrl: BASE_URL,
      signingKey: 'contract-test-key',
      clock: { now: () => now },
      ...(dir === undefined ? {} : { dir }),
    });
    const call = caller(store);
    const must = async (answer: Promise<HttpAnswer | undefined>): Promise<HttpAnswer> => {
      const got = await answer;
      if (got === undefined) throw new Error('not a blob route');
      return got;
    };
    return {
      store,
      now: () => now,
      advance: (seconds) => {
        now = new Date(now.getTime() + seconds * 1000);
      },
      post: async (target, fields, file) => {
        const { contentType, body } = await formBody(fields, file);
        return must(call('POST', target.url, { 'content-type': contentType }, body));
      },
      get: (url) => must(call('GET', url)),
      ...(dir === undefined ? {} : { close: () => rm(dir, { recursive: true, force: true }) }),
    };
  };
}

const everything = { uploadPolicy: true, downloadSignature: true, responseHeaders: true };
blobStoreContract('local adapter, in memory', everything, harness({ onDisk: false }));
blobStoreContract('local adapter, files in a folder', everything, harness({ onDisk: true }));

describe('local blob store', () => {
  it('keeps objects as files another instance on the same folder and key reads, links included', async () => {
    // Prepare: the handler's store and the runtime's store share folder and key
    const dir = await mkdtemp(join(tmpdir(), 'urna-blobs-test-'));
    const handlerStore = new LocalBlobStore({ baseUrl: BASE_URL, signingKey: 'k', dir });
    const runtimeStore = new LocalBlobStore({ baseUrl: BASE_URL, signingKey: 'k', dir });
    try {
      // Act
      await handlerStore.put('documents/abc', new Uint8Array([1, 2, 3]));
      const link = await handlerStore.downloadUrl('documents/abc', {
        fileName: 'a.pdf',
        mediaType: 'application/pdf',
        expiresInSeconds: 60,
      });
      const answer = await caller(runtimeStore)('GET', link.url);
      // Assess
      expect(answer?.status).toBe(200);
      expect(answer?.body).toEqual(new Uint8Array([1, 2, 3]));
      expect(await readdir(dir)).toEqual(['documents%2Fabc']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a link signed with another key', async () => {
    // Prepare
    const signer = new LocalBlobStore({ baseUrl: BASE_URL, signingKey: 'one' });
    const server = new LocalBlobStore({ baseUrl: BASE_URL, signingKey: 'two' });
    await server.put('documents/x', new Uint8Array([1]));
    const link = await signer.downloadUrl('documents/x', {
      fileName: 'x.pdf',
      mediaType: 'application/pdf',
      expiresInSeconds: 60,
    });
    // Act
    const answer = await caller(server)('GET', link.url);
    // Assess
    expect(answer?.status).toBe(403);
    expect(new TextDecoder().decode(answer?.body)).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it('refuses an empty signing key', () => {
    expect(() => new LocalBlobStore({ baseUrl: BASE_URL, signingKey: '' })).toThrow(TypeError);
  });
});

describe('blob routes', () => {
  const store = new LocalBlobStore({ baseUrl: BASE_URL, signingKey: 'k' });
  const call = caller(store);

  it('leave other paths to the next routes', async () => {
    expect(await call('GET', `${BASE_URL}/local/outbox`)).toBeUndefined();
    expect(await call('GET', `${BASE_URL}/local/blobsx`)).toBeUndefined();
  });

  it('answer a CORS preflight for any origin, as the local bucket', async () => {
    // Act
    const answer = await call('OPTIONS', `${BASE_URL}/local/blobs`, {
      origin: 'http://localhost:5173',
      'access-control-request-method': 'POST',
    });
    // Assess
    expect(answer?.status).toBe(204);
    expect(answer?.headers.get('access-control-allow-origin')).toBe('*');
    expect(answer?.headers.get('access-control-allow-methods')).toBe('GET, POST');
  });

  it.each([
    ['a POST that is not multipart/form-data', 'POST', 'application/json', 412, 'PreconditionFailed'],
    ['a PUT', 'PUT', undefined, 405, 'MethodNotAllowed'],
    ['a GET of the bucket', 'GET', undefined, 405, 'MethodNotAllowed'],
  ] as const)('answer %s with S3’s XML error', async (_what, method, contentType, status, code) => {
    // Act
    const answer = await call(
      method,
      `${BASE_URL}/local/blobs`,
      contentType ? { 'content-type': contentType } : {},
      Buffer.from('{}'),
    );
    // Assess
    expect(answer?.status).toBe(status);
    expect(answer?.headers.get('content-type')).toBe('application/xml');
    expect(new TextDecoder().decode(answer?.body)).toContain(`<Code>${code}</Code>`);
  });

  it('ignore what follows the file, as S3 does', async () => {
    // Prepare
    const target = await store.uploadTarget('uploads/after-file', { maxBytes: 10, expiresInSeconds: 60 });
    const form = new FormData();
    for (const [name, value] of Object.entries(target.fields)) form.append(name, value);
    form.append('file', new Blob([new Uint8Array([7])]));
    form.append('Content-Type', 'text/html');
    const request = new Request('http://x/', { method: 'POST', body: form });
    // Act
    const answer = await call(
      'POST',
      target.url,
      { 'content-type': request.headers.get('content-type') ?? '' },
      Buffer.from(await request.arrayBuffer()),
    );
    // Assess
    expect(answer?.status).toBe(204);
    expect(await store.read('uploads/after-file', 10)).toEqual(new Uint8Array([7]));
  });
});

describe('localBlobs (the local runtime’s store)', () => {
  it('keeps its folder and signing key under DATA_DIR, so links outlive a restart', async () => {
    // Prepare
    const dataDir = await mkdtemp(join(tmpdir(), 'urna-data-test-'));
    try {
      const first = localBlobs({ baseUrl: BASE_URL, dataDir });
      await first.store.put('documents/kept', new Uint8Array([9]));
      const link = await first.store.downloadUrl('documents/kept', {
        fileName: 'k.pdf',
        mediaType: 'application/pdf',
        expiresInSeconds: 60,
      });
      // Act: a new runtime on the same data
      const second = localBlobs({ baseUrl: BASE_URL, dataDir });
      const answer = await caller(second.store)('GET', link.url);
      // Assess
      expect(second.dir).toBe(join(dataDir, 'blobs'));
      expect(second.signingKey).toBe(first.signingKey);
      expect(second.temporary).toBe(false);
      expect(answer?.body).toEqual(new Uint8Array([9]));
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('uses a temporary folder and a fresh key without DATA_DIR', async () => {
    // Act
    const a = localBlobs({ baseUrl: BASE_URL });
    const b = localBlobs({ baseUrl: BASE_URL });
    // Assess
    expect(a.temporary).toBe(true);
    expect(a.dir).not.toBe(b.dir);
    expect(a.signingKey).not.toBe(b.signingKey);
    await rm(a.dir, { recursive: true, force: true });
    await rm(b.dir, { recursive: true, force: true });
  });
});

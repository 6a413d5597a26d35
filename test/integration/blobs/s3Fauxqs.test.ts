/**
 * The S3 adapter against a real S3 API in process: fauxqs (already the local SQS; 1.9.x serves S3
 * too). Its S3 has no POST Object, no signature check and no response-header overrides, so this
 * run shows the SDK calls (head, read with its limit, put, delete of every version, GET links);
 * the POST policy and the signed query are checked in test/unit/adapters/s3Blobs.test.ts.
 * Why no other emulator: docs/adr/0009-documents.md
 */
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { buildApp } from 'fauxqs';
import { afterAll, beforeAll } from 'vitest';
import { S3BlobStore } from '#adapters/blobs/s3.ts';
import { type BlobHarness, blobStoreContract, type HttpAnswer } from '#test/support/blobContract.ts';

const BUCKET = 'urna-documents-test';
const app = buildApp({ logger: false });
let client: S3Client;

beforeAll(async () => {
  const endpoint = await app.listen({ port: 0, host: '127.0.0.1' });
  client = new S3Client({
    endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
});
afterAll(async () => {
  client.destroy();
  await app.close();
});

const answer = async (response: Response): Promise<HttpAnswer> => ({
  status: response.status,
  headers: response.headers,
  body: new Uint8Array(await response.arrayBuffer()),
});

blobStoreContract(
  'S3 adapter on fauxqs',
  { uploadPolicy: false, downloadSignature: false, responseHeaders: false },
  async (): Promise<BlobHarness> => {
    let now = new Date();
    return {
      store: new S3BlobStore({ client, bucket: BUCKET, clock: { now: () => now } }),
      now: () => now,
      advance: (seconds) => {
        now = new Date(now.getTime() + seconds * 1000);
      },
      post: () => Promise.reject(new Error('fauxqs has no POST Object')),
      get: async (url) => answer(await fetch(url)),
    };
  },
);

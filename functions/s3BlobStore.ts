/**
 * The documents' S3 store, a module of its own: on AWS it is bundled into a second file next to
 * the function's bundle (ServerlessFunction `chunks`) and imported at the first submission with
 * documents, so the S3 client never weighs on a cold start (+38 ms on FileCase when inlined).
 * Why: docs/adr/0009-documents.md
 */
import { S3Client } from '@aws-sdk/client-s3';
import { S3BlobStore } from '#adapters/blobs/s3.ts';
import type { BlobStore } from '#ports/blobs.ts';

export function s3BlobStore(bucket: string, traced: <T>(client: T) => T): BlobStore {
  return new S3BlobStore({ client: traced(new S3Client({})), bucket });
}

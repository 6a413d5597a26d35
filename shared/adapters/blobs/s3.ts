/**
 * The S3 blob store: one private bucket (infra/constructs/DocumentsBucket.ts). Upload targets are
 * presigned POSTs whose policy pins the bucket, the key and a content-length-range of 1..maxBytes;
 * download links are presigned GETs that make S3 answer with our Content-Disposition, type and
 * `Cache-Control: private, no-store`. The client is the caller's (its endpoint, AWS_ENDPOINT_URL
 * included, comes from the SDK's own configuration); signing needs no call to AWS.
 */
import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { systemClock } from '#adapters/clock.ts';
import {
  assertBlobKey,
  type BlobStore,
  BlobTooLargeError,
  BlobUnreadableError,
  type DownloadLink,
  type UploadTarget,
} from '#ports/blobs.ts';
import type { Clock } from '#ports/index.ts';
import { attachmentDisposition } from './contentDisposition.ts';

export interface S3BlobStoreOptions {
  client: S3Client;
  bucket: string;
  /** The signing instant of download links (default: the system clock). */
  clock?: Clock;
}

const isNotFound = (error: unknown): boolean =>
  error instanceof S3ServiceException &&
  (error.name === 'NotFound' || error.name === 'NoSuchKey' || error.$metadata.httpStatusCode === 404);

export class S3BlobStore implements BlobStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly clock: Clock;

  constructor(options: S3BlobStoreOptions) {
    this.client = options.client;
    this.bucket = options.bucket;
    this.clock = options.clock ?? systemClock;
  }

  async uploadTarget(
    key: string,
    options: { maxBytes: number; expiresInSeconds: number },
  ): Promise<UploadTarget> {
    assertBlobKey(key);
    const { url, fields } = await createPresignedPost(this.client, {
      Bucket: this.bucket,
      Key: key,
      Conditions: [['content-length-range', 1, options.maxBytes]],
      Expires: options.expiresInSeconds,
    });
    // The policy's own expiration: the presigner reads the wall clock itself.
    const policy = JSON.parse(Buffer.from(fields.Policy ?? '', 'base64').toString('utf8')) as {
      expiration: string;
    };
    return { url, method: 'POST', fields, expiresAt: new Date(policy.expiration).toISOString() };
  }

  async head(key: string): Promise<{ bytes: number } | undefined> {
    assertBlobKey(key);
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { bytes: head.ContentLength ?? 0 };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async read(key: string, maxBytes: number): Promise<Uint8Array | undefined> {
    assertBlobKey(key);
    let object: GetObjectCommandOutput;
    try {
      object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      // With ListBucket a missing key is a 404: a 403 is the scan policy (DocumentsBucket).
      if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 403) {
        throw new BlobUnreadableError(`${key} is not served (not scanned clean)`);
      }
      throw error;
    }
    // In Node the body is an IncomingMessage: destroying it stops the download.
    const body = object.Body as (typeof object.Body & { destroy?: () => void }) | undefined;
    if (object.ContentLength !== undefined && object.ContentLength > maxBytes) {
      body?.destroy?.();
      throw new BlobTooLargeError(object.ContentLength);
    }
    const content = body === undefined ? new Uint8Array() : await body.transformToByteArray();
    if (content.length > maxBytes) throw new BlobTooLargeError(content.length);
    return content;
  }

  async put(key: string, content: Uint8Array): Promise<void> {
    assertBlobKey(key);
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: content }));
  }

  async downloadUrl(
    key: string,
    options: { fileName: string; mediaType: string; expiresInSeconds: number },
  ): Promise<DownloadLink> {
    assertBlobKey(key);
    const signingDate = this.clock.now();
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: key,
      ResponseContentDisposition: attachmentDisposition(options.fileName),
      ResponseContentType: options.mediaType,
      ResponseCacheControl: 'private, no-store',
    });
    const url = await getSignedUrl(this.client, command, {
      expiresIn: options.expiresInSeconds,
      signingDate,
    });
    return {
      url,
      expiresAt: new Date(signingDate.getTime() + options.expiresInSeconds * 1000).toISOString(),
    };
  }
}

/**
 * The local blob store: objects as files under a folder (`<DATA_DIR>/blobs` when data is kept) or
 * in memory. Its upload targets and download links point at the local runtime
 * (`<baseUrl>/local/blobs…`, served by infra/local/blobs.ts) and carry an HMAC-SHA256 token that
 * pins what S3's signature and POST policy pin (key, size range, expiry; disposition and type of
 * a download), so a browser meets the same refusals as on S3: expired or tampered → 403, too
 * large → 400 EntityTooLarge.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { systemClock } from '#adapters/clock.ts';
import {
  assertBlobKey,
  type BlobStore,
  BlobTooLargeError,
  type DownloadLink,
  isBlobKey,
  type UploadTarget,
} from '#ports/blobs.ts';
import type { Clock } from '#ports/index.ts';
import { attachmentDisposition } from './contentDisposition.ts';

export const LOCAL_BLOBS_PATH = '/local/blobs';

/** A refusal as S3 words it (status, error code, message): the local route answers it as S3's XML. */
export interface BlobRefusal {
  readonly status: 400 | 403 | 404;
  readonly code: string;
  readonly message: string;
}

export type UploadOutcome = { ok: true; key: string } | ({ ok: false } & BlobRefusal);
export type DownloadOutcome =
  | { ok: true; content: Uint8Array; headers: [string, string][] }
  | ({ ok: false } & BlobRefusal);

/** Form fields a POST may carry besides the ones the target gave (S3 ignores `x-ignore-*`). */
const IGNORED_FIELD = /^x-ignore-/i;

interface Storage {
  read(key: string): Promise<Uint8Array | undefined>;
  size(key: string): Promise<number | undefined>;
  write(key: string, content: Uint8Array): Promise<void>;
}

function memoryStorage(): Storage {
  const objects = new Map<string, Uint8Array>();
  return {
    read: async (key) => objects.get(key),
    size: async (key) => objects.get(key)?.length,
    write: async (key, content) => void objects.set(key, Uint8Array.from(content)),
  };
}

const isMissing = (error: unknown): boolean =>
  error instanceof Error && 'code' in error && error.code === 'ENOENT';

/** One file per key; `/` is encoded, so a key never names a folder (keys are checked anyway). */
function fileStorage(dir: string): Storage {
  const path = (key: string): string => join(dir, encodeURIComponent(key));
  let sequence = 0;
  return {
    read: async (key) => {
      try {
        return new Uint8Array(await readFile(path(key)));
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    },
    size: async (key) => {
      try {
        return (await stat(path(key))).size;
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    },
    write: async (key, content) => {
      await mkdir(dir, { recursive: true });
      // Written aside, then renamed: a reader (or a crash) never sees half an object.
      sequence += 1;
      const temporary = `${path(key)}.${process.pid}.${sequence}.partial`;
      await writeFile(temporary, content, { mode: 0o600 });
      await rename(temporary, path(key));
    },
  };
}

interface UploadPolicy {
  op: 'upload';
  key: string;
  maxBytes: number;
  /** Epoch seconds. */
  expires: number;
}

export interface LocalBlobStoreOptions {
  /** The local runtime's base URL, e.g. `http://127.0.0.1:3000`. */
  baseUrl: string;
  /** The HMAC key of upload targets and download links (any length; 32 random bytes is plenty). */
  signingKey: string | Uint8Array;
  /** The folder of the objects; absent → in memory (this instance only). */
  dir?: string;
  clock?: Clock;
}

export class LocalBlobStore implements BlobStore {
  private readonly storage: Storage;
  private readonly baseUrl: string;
  private readonly signingKey: Uint8Array;
  private readonly clock: Clock;

  constructor(options: LocalBlobStoreOptions) {
    this.storage = options.dir === undefined ? memoryStorage() : fileStorage(options.dir);
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.signingKey =
      typeof options.signingKey === 'string' ? Buffer.from(options.signingKey, 'utf8') : options.signingKey;
    if (this.signingKey.length === 0) throw new TypeError('the signing key is empty');
    this.clock = options.clock ?? systemClock;
  }

  async uploadTarget(
    key: string,
    options: { maxBytes: number; expiresInSeconds: number },
  ): Promise<UploadTarget> {
    assertBlobKey(key);
    const expires = this.nowSeconds() + options.expiresInSeconds;
    const policy: UploadPolicy = { op: 'upload', key, maxBytes: options.maxBytes, expires };
    const encoded = Buffer.from(JSON.stringify(policy), 'utf8').toString('base64url');
    return {
      url: `${this.baseUrl}${LOCAL_BLOBS_PATH}`,
      method: 'POST',
      fields: { key, policy: encoded, signature: this.sign(encoded) },
      expiresAt: new Date(expires * 1000).toISOString(),
    };
  }

  async head(key: string): Promise<{ bytes: number } | undefined> {
    assertBlobKey(key);
    const bytes = await this.storage.size(key);
    return bytes === undefined ? undefined : { bytes };
  }

  async read(key: string, maxBytes: number): Promise<Uint8Array | undefined> {
    assertBlobKey(key);
    const bytes = await this.storage.size(key);
    if (bytes === undefined) return undefined;
    if (bytes > maxBytes) throw new BlobTooLargeError(bytes);
    return this.storage.read(key);
  }

  async put(key: string, content: Uint8Array): Promise<void> {
    assertBlobKey(key);
    await this.storage.write(key, content);
  }

  async downloadUrl(
    key: string,
    options: { fileName: string; mediaType: string; expiresInSeconds: number },
  ): Promise<DownloadLink> {
    assertBlobKey(key);
    const expires = this.nowSeconds() + options.expiresInSeconds;
    const disposition = attachmentDisposition(options.fileName);
    const query = new URLSearchParams({
      expires: String(expires),
      disposition,
      type: options.mediaType,
      signature: this.sign(downloadClaim(key, expires, disposition, options.mediaType)),
    });
    return {
      url: `${this.baseUrl}${LOCAL_BLOBS_PATH}/${key.split('/').map(encodeURIComponent).join('/')}?${query}`,
      expiresAt: new Date(expires * 1000).toISOString(),
    };
  }

  /**
   * What a browser's POST of an upload target's form does: `fields` are the form's fields before
   * the file, in order; `file` the file's bytes (undefined when the form had none). Checked as S3
   * checks a POST policy, then stored.
   */
  async receiveUpload(
    fields: readonly (readonly [string, string])[],
    file: Uint8Array | undefined,
  ): Promise<UploadOutcome> {
    const field = (name: string): string | undefined => fields.find(([n]) => n === name)?.[1];
    const policyField = field('policy');
    const signature = field('signature');
    if (policyField === undefined || signature === undefined) {
      return refuse(403, 'AccessDenied', 'Access Denied');
    }
    if (!this.verify(policyField, signature)) {
      return refuse(
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided.',
      );
    }
    const policy = parsePolicy(policyField);
    if (policy === undefined) return refuse(400, 'InvalidPolicyDocument', 'Invalid Policy: Invalid JSON.');
    if (this.nowSeconds() > policy.expires) {
      return refuse(403, 'AccessDenied', 'Invalid according to Policy: Policy expired.');
    }
    const key = field('key');
    if (key !== policy.key) {
      return refuse(
        403,
        'AccessDenied',
        `Invalid according to Policy: Policy Condition failed: ["eq", "$key", "${policy.key}"]`,
      );
    }
    const extra = fields.find(
      ([name]) => !['key', 'policy', 'signature'].includes(name) && !IGNORED_FIELD.test(name),
    );
    if (extra !== undefined) {
      return refuse(403, 'AccessDenied', `Invalid according to Policy: Extra input fields: ${extra[0]}`);
    }
    if (file === undefined) {
      return refuse(400, 'InvalidArgument', 'POST requires exactly one file upload per request.');
    }
    if (file.length > policy.maxBytes) {
      return refuse(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size');
    }
    if (file.length < 1) {
      return refuse(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size');
    }
    await this.storage.write(policy.key, file);
    return { ok: true, key: policy.key };
  }

  /** What a GET of a download link answers: `key` from its path, `query` its query string. */
  async serveDownload(key: string, query: URLSearchParams): Promise<DownloadOutcome> {
    const expires = Number(query.get('expires'));
    const disposition = query.get('disposition');
    const type = query.get('type');
    const signature = query.get('signature');
    if (
      !isBlobKey(key) ||
      !Number.isInteger(expires) ||
      disposition === null ||
      type === null ||
      signature === null ||
      !this.verify(downloadClaim(key, expires, disposition, type), signature)
    ) {
      return refuse(
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided.',
      );
    }
    if (this.nowSeconds() > expires) return refuse(403, 'AccessDenied', 'Request has expired');
    const content = await this.storage.read(key);
    if (content === undefined) return refuse(404, 'NoSuchKey', 'The specified key does not exist.');
    return {
      ok: true,
      content,
      headers: [
        ['content-type', type],
        ['content-disposition', disposition],
        ['cache-control', 'private, no-store'],
        ['x-content-type-options', 'nosniff'],
      ],
    };
  }

  private nowSeconds(): number {
    return Math.floor(this.clock.now().getTime() / 1000);
  }

  private sign(claim: string): string {
    return createHmac('sha256', this.signingKey).update(claim, 'utf8').digest('base64url');
  }

  private verify(claim: string, signature: string): boolean {
    const expected = Buffer.from(this.sign(claim), 'utf8');
    const given = Buffer.from(signature, 'utf8');
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}

const refuse = (
  status: BlobRefusal['status'],
  code: string,
  message: string,
): { ok: false } & BlobRefusal => ({
  ok: false,
  status,
  code,
  message,
});

const downloadClaim = (key: string, expires: number, disposition: string, type: string): string =>
  JSON.stringify(['download', key, expires, disposition, type]);

function parsePolicy(encoded: string): UploadPolicy | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
    if (typeof value !== 'object' || value === null) return undefined;
    const { op, key, maxBytes, expires } = value as Record<string, unknown>;
    if (
      op !== 'upload' ||
      typeof key !== 'string' ||
      typeof maxBytes !== 'number' ||
      typeof expires !== 'number'
    ) {
      return undefined;
    }
    return { op, key, maxBytes, expires };
  } catch {
    return undefined;
  }
}

/**
 * The blob store of documents (issue 13): S3 on AWS (shared/adapters/blobs/s3.ts), files or memory
 * locally (shared/adapters/blobs/local.ts). Browsers upload and download directly, through
 * short-lived signed targets and links; the app reads and writes (accepted documents are never
 * removed by it; uploads expire by the bucket's lifecycle). Keys are ids, never
 * names: file names are personal data. Both adapters pass test/support/blobContract.ts.
 */

/** Segments of letters, digits, `.`, `_`, `-` joined by `/`, never `.` or `..`, at most 512 characters. */
export const BLOB_KEY = /^(?!.*(?:^|\/)\.{1,2}(?:\/|$))[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/;

export const isBlobKey = (key: string): boolean => key.length <= 512 && BLOB_KEY.test(key);

/** Adapters refuse any other key (a programming error: keys are made from ids, never from input). */
export function assertBlobKey(key: string): void {
  if (!isBlobKey(key)) throw new TypeError('invalid blob key');
}

/**
 * Where a browser sends one file: a `multipart/form-data` POST to `url` with `fields`, in order,
 * then the file as the last field, named `file` (as to S3's POST Object). The target accepts a file
 * of 1..maxBytes bytes for this key only until `expiresAt`; after that, or with a field changed or
 * added, it answers 403; a larger file gets 400 (S3's EntityTooLarge). Success: 204.
 */
export interface UploadTarget {
  readonly url: string;
  readonly method: 'POST';
  readonly fields: Readonly<Record<string, string>>;
  /** ISO 8601. */
  readonly expiresAt: string;
}

/** A GET link to one object, as an attachment with the given name and type, until `expiresAt`. */
export interface DownloadLink {
  readonly url: string;
  /** ISO 8601. */
  readonly expiresAt: string;
}

/** The object holds more than the caller would read: nothing was read. */
export class BlobTooLargeError extends Error {
  override readonly name = 'BlobTooLargeError';
  constructor(readonly bytes: number) {
    super(`the object holds ${bytes} bytes, more than allowed`);
  }
}

/** The object is there but the store will not serve it (S3: denied until scanned clean). */
export class BlobUnreadableError extends Error {
  override readonly name = 'BlobUnreadableError';
}

export interface BlobStore {
  /**
   * An upload target for `key` (nothing is stored until the browser uses it). The same key may be
   * written again with the same target until it expires: keep such keys for uploads only and copy
   * what you accept elsewhere with `put`.
   */
  uploadTarget(key: string, options: { maxBytes: number; expiresInSeconds: number }): Promise<UploadTarget>;
  /** The object's size, or undefined when there is none. */
  head(key: string): Promise<{ bytes: number } | undefined>;
  /**
   * The whole object, or undefined when there is none. More than `maxBytes` → BlobTooLargeError,
   * without reading it; denied (malware scanning has not found it clean) → BlobUnreadableError.
   */
  read(key: string, maxBytes: number): Promise<Uint8Array | undefined>;
  /** Writes (or replaces) the object with these bytes. */
  put(key: string, content: Uint8Array): Promise<void>;
  /**
   * A link that downloads the object as an attachment named `fileName` (sanitised already: the
   * adapter encodes it per RFC 6266 / 5987), served as `mediaType`, never cached. Whether the object
   * exists is not checked: a link to none answers 404.
   */
  downloadUrl(
    key: string,
    options: { fileName: string; mediaType: string; expiresInSeconds: number },
  ): Promise<DownloadLink>;
}

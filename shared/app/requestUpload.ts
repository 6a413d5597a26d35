/**
 * A client asks to upload a document (issue 13): what it declares (name, size, SHA-256) is kept,
 * and it gets a short-lived upload target for one object under `uploads/` (browser to bucket; the
 * function never carries the bytes). At most UPLOADS_PER_HOUR per uploader (429 with Retry-After).
 * The bytes are judged when a submission references the upload (acceptDocuments).
 */
import { randomBytes } from 'node:crypto';
import { type Actor, type Citizen, citizenPseudonymText } from '#domain/actor.ts';
import { BLOB_PREFIXES, MAX_DOCUMENT_BYTES } from '#domain/documents.ts';
import { fixedWindow } from '#domain/limits.ts';
import type { BlobStore, UploadTarget } from '#ports/blobs.ts';
import type { DocumentUploads } from '#ports/documents.ts';
import type { Clock } from '#ports/index.ts';
import type { RateLimiter } from '#ports/limits.ts';
import type { Pseudonyms } from '#ports/pseudonyms.ts';
import { invalid, UseCaseError } from './errors.ts';
import { normalizeTrackingCode } from './tracking.ts';

export interface UploadDeps {
  blobs: BlobStore;
  uploads: DocumentUploads;
  limits: RateLimiter;
  clock: Clock;
  uploadsPerHour: number;
}

/** Who asks to upload: an officer, an identified citizen, a petitioner by their code, or a device. */
export interface Uploader {
  actor?: Actor | undefined;
  citizen?: Citizen | undefined;
  trackingCode?: string | undefined;
  deviceKey?: string | undefined;
}

/**
 * The key uploads are counted by: a pseudonym (current key version: a count for an hour), or an
 * officer's subject; 400 without any.
 */
export function uploaderKey(uploader: Uploader, pseudonyms: Pseudonyms): string {
  const hash = (text: string) => pseudonyms.current(text).hash;
  if (uploader.actor) return `officer#${uploader.actor.subject}`;
  if (uploader.citizen) return `citizen#${hash(citizenPseudonymText('uploads', uploader.citizen))}`;
  // Keyed, not the case's stored tracking hash: a table reader cannot tie uploads to a case.
  if (uploader.trackingCode)
    return `code#${hash(`uploads\n${normalizeTrackingCode(uploader.trackingCode)}`)}`;
  if (uploader.deviceKey) return `device#${hash(`uploads\n${uploader.deviceKey}`)}`;
  throw invalid(
    'header.x-device-key',
    'required',
    'es obligatorio sin código de seguimiento ni token: para cargar un archivo envíe X-Tracking-Code, X-Device-Key o un token de identidad',
    'is required without a tracking code or a token: send X-Tracking-Code, X-Device-Key or an identity token to upload',
    'bad_request',
  );
}

/** How long an upload target may be used, and the upload kept for a submission to reference it. */
export const UPLOAD_TARGET_SECONDS = 15 * 60;
export const UPLOAD_KEPT_SECONDS = 24 * 3600;

export interface UploadGranted {
  attachmentId: string;
  upload: UploadTarget;
  maxBytes: number;
}

export async function requestUpload(
  deps: UploadDeps,
  owner: string,
  declared: { fileName: string; bytes: number; sha256: string },
): Promise<UploadGranted> {
  if (declared.bytes > MAX_DOCUMENT_BYTES) {
    throw invalid(
      'bytes',
      'too_large',
      `debe ser como máximo ${MAX_DOCUMENT_BYTES}: un documento pesa como máximo 10 MB`,
      `must be at most ${MAX_DOCUMENT_BYTES}: a document is at most 10 MB`,
      'too_large',
    );
  }
  const now = deps.clock.now();
  const epoch = Math.floor(now.getTime() / 1000);
  const hour = fixedWindow(now, 3600);
  if (!(await deps.limits.take(`upload#${owner}`, hour.id, deps.uploadsPerHour, hour.expiresAt))) {
    throw new UseCaseError(
      'too_many',
      {
        es: `Se admiten como máximo ${deps.uploadsPerHour} cargas por hora: intente de nuevo en la próxima hora`,
        en: `at most ${deps.uploadsPerHour} uploads an hour: try again after the hour turns`,
      },
      [],
      { retryAfterSeconds: hour.retryAfterSeconds },
    );
  }
  const id = randomBytes(16).toString('base64url');
  const upload = await deps.blobs.uploadTarget(`${BLOB_PREFIXES.uploads}${id}`, {
    maxBytes: MAX_DOCUMENT_BYTES,
    expiresInSeconds: UPLOAD_TARGET_SECONDS,
  });
  await deps.uploads.put({
    id,
    owner,
    fileName: declared.fileName,
    bytes: declared.bytes,
    sha256: declared.sha256.toLowerCase(),
    createdAt: now.toISOString(),
    expiresAt: epoch + UPLOAD_KEPT_SECONDS,
  });
  return { attachmentId: id, upload, maxBytes: MAX_DOCUMENT_BYTES };
}

/**
 * The documents a submission references (a filing, a reply, an officer's request or answer): each
 * upload must exist and not be expired, hold at most 10 MB (413), be an accepted type by its bytes
 * (415) and match the SHA-256 declared when it was asked for (422), the refusal naming the
 * attachment. Checking stores nothing: the use case stores them (under `documents/<entity>/`,
 * where no upload target writes) only once it has decided the submission, so a 4xx stores nothing.
 */
import {
  BLOB_PREFIXES,
  type DocumentRef,
  inspectDocument,
  MAX_DOCUMENT_BYTES,
  MAX_DOCUMENTS_PER_SUBMISSION,
} from '#domain/documents.ts';
import type { IssueCode } from '#domain/issues.ts';
import { once } from '#domain/once.ts';
import { type BlobStore, BlobTooLargeError, BlobUnreadableError } from '#ports/blobs.ts';
import type { DocumentUploads } from '#ports/documents.ts';
import type { Clock } from '#ports/index.ts';
import { invalid } from './errors.ts';

export interface DocumentDeps {
  blobs: BlobStore;
  uploads: DocumentUploads;
  clock: Clock;
}

/**
 * Where an accepted document of an entity is kept: by its content, so that the same bytes
 * accepted twice (a retried submission) are one object, which nothing ever overwrites or removes.
 */
export const documentKey = (entityId: string, d: Pick<DocumentRef, 'sha256'>) =>
  `${BLOB_PREFIXES.documents}${entityId}/${d.sha256}`;

/** Documents that passed every check, not stored yet. */
export interface AcceptedDocuments {
  readonly refs: DocumentRef[];
  /**
   * Stores them under `documents/<entity>/` (once, however often called). Call once the submission
   * is decided (a refusal stores nothing), right before its commit.
   */
  store(): Promise<void>;
}

export const NO_DOCUMENTS: AcceptedDocuments = { refs: [], store: async () => {} };

export async function acceptDocuments(
  deps: DocumentDeps,
  entityId: string,
  ids: readonly string[],
): Promise<AcceptedDocuments> {
  if (ids.length === 0) return NO_DOCUMENTS;
  if (ids.length > MAX_DOCUMENTS_PER_SUBMISSION || new Set(ids).size !== ids.length) {
    throw invalid(
      'attachments',
      'too_many',
      `admite como máximo ${MAX_DOCUMENTS_PER_SUBMISSION} ids de adjunto distintos: quite los repetidos o los que sobren`,
      `must be at most ${MAX_DOCUMENTS_PER_SUBMISSION} different attachment ids`,
    );
  }
  const now = Math.floor(deps.clock.now().getTime() / 1000);
  const accepted: { ref: DocumentRef; content: Uint8Array }[] = [];
  for (const [i, id] of ids.entries()) {
    const field = `attachments.${i}`;
    const refuse = (
      status: 'invalid' | 'too_large' | 'unsupported_media',
      code: IssueCode,
      es: string,
      en: string,
    ) => invalid(field, code, es, en, status);
    const tooLarge = () =>
      refuse(
        'too_large',
        'too_large',
        'pesa más de 10 MB: adjunte un archivo más liviano',
        'is larger than 10 MB',
      );
    const upload = await deps.uploads.get(id);
    if (!upload || upload.expiresAt <= now) {
      throw refuse(
        'invalid',
        'not_found',
        'no es una carga de esta API, o ya venció: cargue el archivo de nuevo (POST /v1/uploads)',
        'is no upload of this API, or it expired',
      );
    }
    let content: Uint8Array | undefined;
    try {
      content = await deps.blobs.read(`${BLOB_PREFIXES.uploads}${id}`, MAX_DOCUMENT_BYTES);
    } catch (error) {
      if (error instanceof BlobTooLargeError) throw tooLarge();
      throw error;
    }
    if (content === undefined) {
      throw refuse(
        'invalid',
        'not_found',
        'nunca se cargó el archivo (o ya se usó): cárguelo antes de adjuntarlo',
        'was never uploaded (or was already used)',
      );
    }
    const inspection = inspectDocument({ id, fileName: upload.fileName, content, sha256: upload.sha256 });
    if (!inspection.ok) {
      switch (inspection.reason) {
        case 'too_large':
          throw tooLarge();
        case 'unsupported_type':
          throw refuse(
            'unsupported_media',
            'unsupported',
            'no es un PDF, una imagen, un documento de oficina ni texto plano: adjunte uno de esos tipos',
            'is not a PDF, an image, an office document or plain text',
          );
        case 'empty':
          throw refuse('invalid', 'required', 'está vacío: adjunte un archivo con contenido', 'is empty');
        case 'digest_mismatch':
          throw refuse(
            'invalid',
            'mismatch',
            'no coincide con el SHA-256 declarado al cargarlo: cárguelo de nuevo',
            'does not match the SHA-256 declared when it was uploaded',
          );
      }
    }
    accepted.push({ ref: inspection.document, content });
  }
  return { refs: accepted.map((a) => a.ref), store: once(() => storeAll(deps, entityId, accepted)) };
}

// Written even when the same bytes are there already: with malware scanning on, a stored document
// is unreadable (so unknowable) until scanned clean, and PutObject is all a function may do there.
async function storeAll(
  deps: DocumentDeps,
  entityId: string,
  documents: readonly { ref: DocumentRef; content: Uint8Array }[],
): Promise<void> {
  for (const { ref, content } of documents) await deps.blobs.put(documentKey(entityId, ref), content);
}

/**
 * An entity's documents going with a petition forwarded to another (Ley 1755 art. 21), read now
 * and stored under the other entity's prefix when the forward is decided. A document the store
 * will not serve (malware scanning has not found it clean) stays behind.
 */
export async function carriedDocuments(
  deps: DocumentDeps,
  from: string,
  to: string,
  refs: readonly DocumentRef[],
): Promise<AcceptedDocuments> {
  const carried: { ref: DocumentRef; content: Uint8Array }[] = [];
  for (const ref of refs) {
    let content: Uint8Array | undefined;
    try {
      content = await deps.blobs.read(documentKey(from, ref), MAX_DOCUMENT_BYTES);
    } catch (error) {
      if (error instanceof BlobUnreadableError) continue;
      throw error;
    }
    if (!content) throw new Error(`document ${ref.id} of ${from} is missing`);
    carried.push({ ref, content });
  }
  return { refs: carried.map((c) => c.ref), store: once(() => storeAll(deps, to, carried)) };
}

/**
 * A submission with its documents: checked first (a refusal reads no further), then `write`, which
 * stores them once it has decided. The uploads stay until they expire, so a retry with the same
 * Idempotency-Key finds them again and gets the first answer. A write refused after storing leaves
 * its copies unreferenced (kept by content, they may be another case's too, so none is removed).
 */
export async function withDocuments<T>(
  deps: DocumentsProvider | undefined,
  entityId: string,
  ids: readonly string[] | undefined,
  write: (documents: AcceptedDocuments) => Promise<T>,
): Promise<T> {
  if (!ids?.length) return write(NO_DOCUMENTS);
  if (!deps) throw new Error('documents are not configured for this function');
  return write(await acceptDocuments(await deps(), entityId, ids));
}

/** The documents' adapters, made at the first submission that has documents. */
export type DocumentsProvider = () => Promise<DocumentDeps>;

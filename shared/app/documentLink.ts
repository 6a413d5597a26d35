/**
 * A short-lived link to one of a case's documents (issue 13): for its petitioner (tracking code, or
 * a linked identity) and its entity's officers who may read the case; never public, never another
 * entity. The document must be one the case holds (filed with it, or in one of its events).
 */
import type { Actor } from '#domain/actor.ts';
import type { CaseRecord } from '#domain/case/case.ts';
import type { DocumentRef } from '#domain/documents.ts';
import { type DocumentsProvider, documentKey } from './acceptDocuments.ts';
import { caseOfActor } from './actOnCase.ts';
import { UseCaseError } from './errors.ts';
import { type PetitionerCredential, type PetitionerDeps, petitionersCase } from './petitioner.ts';

/** How long a download link works. */
export const DOWNLOAD_SECONDS = 5 * 60;

/** Every document a case holds: filed with it, and those its events recorded (requests, replies, answer). */
export async function documentsOf(
  cases: PetitionerDeps['cases'],
  record: CaseRecord,
): Promise<DocumentRef[]> {
  const events = await cases.events(record.radicado);
  return [
    ...(record.documents ?? []),
    ...events.flatMap((e) => (Array.isArray(e.data.documents) ? (e.data.documents as DocumentRef[]) : [])),
  ];
}

export async function documentLink(
  deps: PetitionerDeps & { documents: DocumentsProvider },
  radicado: string,
  documentId: string,
  who: PetitionerCredential & { actor?: Actor | undefined },
): Promise<DocumentRef & { url: string; expiresAt: string }> {
  const record = who.actor
    ? await caseOfActor(deps.cases, who.actor, radicado)
    : await petitionersCase(deps, radicado, who);
  const ref = (await documentsOf(deps.cases, record)).find((d) => d.id === documentId);
  if (!ref) {
    throw new UseCaseError('not_found', {
      es: `El caso ${radicado} no tiene el documento ${documentId}`,
      en: `no document ${documentId} in case ${radicado}`,
    });
  }
  const { blobs } = await deps.documents();
  const link = await blobs.downloadUrl(documentKey(record.entityId, ref), {
    fileName: ref.fileName,
    mediaType: ref.mediaType,
    expiresInSeconds: DOWNLOAD_SECONDS,
  });
  return { ...ref, ...link };
}

/**
 * A citizen comments on a section of an open consultation. The API only checks and enqueues: the
 * comment gets its public reference at once (202 Accepted) and the participation consumer writes
 * it, so a national burst is absorbed by the queue. The acceptance time travels with the message:
 * a comment accepted inside the period is written however late the queue delivers it.
 *
 * Idempotency-Key: the reference derives from (consultation, author, key), so a retry is the same
 * comment. A retry whose content differs from the comment already stored under that reference is
 * refused (422, as filing refuses a key reused with another body) rather than silently dropped;
 * one with the same content gets 202 and the same reference, enqueued nothing more. The check reads
 * the stored comment: while the first request is still on the queue (a second or so, longer when
 * the consumer is behind or failing), a retry with other content still gets 202, and the one
 * written last stands (one comment, counted once: the reference is one item). Only hashes of the
 * content are compared.
 */
import { type Citizen, citizenPseudonymText } from '#domain/actor.ts';
import { fixedWindow, minutesToWait } from '#domain/limits.ts';
import {
  type CommentInput,
  type CommentMessage,
  commentContentHash,
  devicePseudonymText,
  newReference,
} from '#domain/participation/comment.ts';
import { type Consultation, commentWindow } from '#domain/participation/consultation.ts';
import type { Clock, MessageQueue } from '#ports/index.ts';
import type { RateLimiter } from '#ports/limits.ts';
import type { CommentStore, ConsultationStore } from '#ports/participation.ts';
import type { Pseudonym, Pseudonyms } from '#ports/pseudonyms.ts';
import { noConsultation } from './consultationCreate.ts';
import { invalid, keyReused, UseCaseError } from './errors.ts';

export interface SubmitCommentDeps {
  consultations: ConsultationStore;
  comments: CommentStore;
  queue: MessageQueue<CommentMessage>;
  clock: Clock;
  /** Key the authors' hashes (only a pseudonym of who commented is kept). */
  pseudonyms: Pseudonyms;
  limits: RateLimiter;
  /** Comments one author (device key or citizen) may send to one consultation in an hour, then 429. */
  commentsPerAuthorHour: number;
  /** How long a process may reuse a consultation it read (a burst reads it once, not per comment). */
  cacheMs?: number;
}

export interface SubmitCommentCommand {
  consultationId: string;
  input: CommentInput;
  /** Who: a verified citizen, or an anonymous device by its key (kept as a hash scoped to the consultation). */
  identity: { citizen?: Citizen | undefined; deviceKey?: string | undefined };
  /** A client retry with the same key yields the same reference (and one comment). */
  idempotencyKey?: string;
}

export interface AcceptedComment {
  reference: string;
  consultationId: string;
  sectionId: string;
  acceptedAt: string;
  status: 'accepted';
}

const cache = new Map<string, { at: number; c: Consultation | undefined }>();

async function consultation(
  deps: SubmitCommentDeps,
  id: string,
  now: number,
): Promise<Consultation | undefined> {
  const ttl = deps.cacheMs ?? 0;
  const hit = cache.get(id);
  if (hit && now - hit.at < ttl) return hit.c;
  const c = await deps.consultations.get(id);
  if (ttl > 0 && c) {
    if (cache.size > 1000) cache.clear();
    cache.set(id, { at: now, c });
  }
  return c;
}

/**
 * Anyone may comment: identified, or anonymously with a device key (400 with neither). The
 * author's pseudonyms under every key version, the current one first.
 */
function authorOf(
  pseudonyms: Pseudonyms,
  consultationId: string,
  identity: SubmitCommentCommand['identity'],
): { kind: CommentMessage['author']['kind']; every: Pseudonym[] } {
  if (identity.citizen) {
    const text = citizenPseudonymText(`consultation:${consultationId}`, identity.citizen);
    return { kind: 'citizen', every: pseudonyms.every(text) };
  }
  if (identity.deviceKey === undefined) {
    throw invalid(
      'header.x-device-key',
      'required',
      'es obligatorio sin un token de identidad: para comentar de forma anónima envíe X-Device-Key, o identifíquese',
      'is required without an identity token: send X-Device-Key to comment anonymously, or an identity token',
      'bad_request',
    );
  }
  return { kind: 'device', every: pseudonyms.every(devicePseudonymText(consultationId, identity.deviceKey)) };
}

export async function submitComment(
  deps: SubmitCommentDeps,
  cmd: SubmitCommentCommand,
): Promise<AcceptedComment> {
  const { kind, every } = authorOf(deps.pseudonyms, cmd.consultationId, cmd.identity);
  const [current] = every as [Pseudonym];
  const author = { kind, hash: current.hash, keyVersion: current.keyVersion };
  const now = deps.clock.now();
  const c = await consultation(deps, cmd.consultationId, now.getTime());
  if (!c) throw noConsultation(cmd.consultationId);
  const key = cmd.idempotencyKey;
  // With a key, the reference derives from the author's pseudonym: a retry across a key rotation
  // finds the comment under the reference of the version it was accepted under.
  const references = every.map((p) =>
    key !== undefined ? newReference({ consultationId: c.id, authorHash: p.hash, key }) : undefined,
  );
  const reference = references[0] ?? newReference();
  if (key !== undefined) {
    const found = await deps.comments.get(c.id, references as string[]);
    const stored = references.map((r) => found.find((f) => f.reference === r)).find((f) => f !== undefined);
    if (stored) {
      if (commentContentHash(stored) !== commentContentHash(cmd.input)) {
        throw keyReused();
      }
      // The same comment, already written: its reference again (even after the period closed).
      return {
        reference: stored.reference,
        consultationId: c.id,
        sectionId: stored.sectionId,
        acceptedAt: stored.acceptedAt,
        status: 'accepted',
      };
    }
  }
  const window = commentWindow(c, now);
  if (!window.open) throw new UseCaseError('conflict', window.message);
  if (!c.sections.some((s) => s.id === cmd.input.sectionId)) {
    throw invalid(
      'sectionId',
      'not_found',
      `no es una sección de la consulta ${c.id}: elija una de sus secciones (s1, s2…)`,
      'is not a section of this consultation',
      'not_found',
    );
  }
  const hour = fixedWindow(now, 3600);
  const bucket = `comment#${c.id}#${author.hash}`;
  if (!(await deps.limits.take(bucket, hour.id, deps.commentsPerAuthorHour, hour.expiresAt))) {
    throw new UseCaseError(
      'too_many',
      {
        es: `Se admiten como máximo ${deps.commentsPerAuthorHour} comentarios por hora de una misma persona o dispositivo en esta consulta: intente de nuevo en ${minutesToWait(hour.retryAfterSeconds).es}`,
        en: `at most ${deps.commentsPerAuthorHour} comments an hour from one person or device on this consultation: try again in ${minutesToWait(hour.retryAfterSeconds).en}`,
      },
      [],
      { retryAfterSeconds: hour.retryAfterSeconds, type: 'too-many-comments' },
    );
  }
  const acceptedAt = now.toISOString();
  const message: CommentMessage = {
    type: 'comment',
    reference,
    consultationId: c.id,
    sectionId: cmd.input.sectionId,
    stance: cmd.input.stance,
    text: cmd.input.text,
    acceptedAt,
    author,
    ...(cmd.input.department !== undefined ? { department: cmd.input.department } : {}),
    ...(cmd.input.ageBand !== undefined ? { ageBand: cmd.input.ageBand } : {}),
  };
  await deps.queue.send([message]);
  return { reference, consultationId: c.id, sectionId: message.sectionId, acceptedAt, status: 'accepted' };
}

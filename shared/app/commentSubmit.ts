/**
 * A citizen comments on a section of an open consultation. The API only checks and enqueues: the
 * comment gets its public reference at once (202 Accepted) and the participation consumer writes
 * it, so a national burst is absorbed by the queue. The acceptance time travels with the message:
 * a comment accepted inside the period is written however late the queue delivers it.
 */
import { type CommentInput, type CommentMessage, newReference } from '#domain/participation/comment.ts';
import { type Consultation, commentWindow } from '#domain/participation/consultation.ts';
import type { Clock, MessageQueue } from '#ports/index.ts';
import type { ConsultationStore } from '#ports/participation.ts';
import { UseCaseError } from './errors.ts';

export interface SubmitCommentDeps {
  consultations: ConsultationStore;
  queue: MessageQueue<CommentMessage>;
  clock: Clock;
  /** How long a process may reuse a consultation it read (a burst reads it once, not per comment). */
  cacheMs?: number;
}

export interface SubmitCommentCommand {
  consultationId: string;
  input: CommentInput;
  /** Who: a verified citizen or an anonymous device, as a hash scoped to the consultation. */
  author: CommentMessage['author'];
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

export async function submitComment(
  deps: SubmitCommentDeps,
  cmd: SubmitCommentCommand,
): Promise<AcceptedComment> {
  const now = deps.clock.now();
  const c = await consultation(deps, cmd.consultationId, now.getTime());
  if (!c) throw new UseCaseError('not_found', `no consultation ${cmd.consultationId}`);
  const window = commentWindow(c, now);
  if (!window.open) throw new UseCaseError('conflict', window.message);
  if (!c.sections.some((s) => s.id === cmd.input.sectionId)) {
    throw new UseCaseError('not_found', `no section ${cmd.input.sectionId} in consultation ${c.id}`, [
      { field: 'sectionId', message: 'is not a section of this consultation' },
    ]);
  }
  const reference = newReference(
    cmd.idempotencyKey !== undefined
      ? { consultationId: c.id, authorHash: cmd.author.hash, key: cmd.idempotencyKey }
      : undefined,
  );
  const acceptedAt = now.toISOString();
  const message: CommentMessage = {
    type: 'comment',
    reference,
    consultationId: c.id,
    sectionId: cmd.input.sectionId,
    stance: cmd.input.stance,
    text: cmd.input.text,
    acceptedAt,
    author: cmd.author,
    ...(cmd.input.department !== undefined ? { department: cmd.input.department } : {}),
    ...(cmd.input.ageBand !== undefined ? { ageBand: cmd.input.ageBand } : {}),
  };
  await deps.queue.send([message]);
  return { reference, consultationId: c.id, sectionId: message.sectionId, acceptedAt, status: 'accepted' };
}

/**
 * The petitioner answers the pending completion (Ley 1755 art. 17) or clarification (art. 19)
 * request: recorded as their submission at that instant, the clock resumes (or restarts) as its
 * rule set says, and the case goes back to its office, whose officers are told (the `replied`
 * event is a staff notice).
 */
import { type DocumentsProvider, withDocuments } from './acceptDocuments.ts';
import {
  actAsPetitioner,
  type PetitionerCredential,
  type PetitionerDeps,
  petitionersCase,
} from './petitioner.ts';

export interface ReplyResult {
  radicado: string;
  /** What the reply answered. */
  respondedTo: 'completion' | 'clarification';
  receivedAt: string;
  status: string;
  /** The due date the clock gives now that the term runs again. */
  dueDate: string | null;
}

export async function replyToCase(
  deps: PetitionerDeps & { documents?: DocumentsProvider | undefined },
  radicado: string,
  credential: PetitionerCredential,
  reply: { text: string; attachments?: readonly string[] | undefined; idempotencyKey?: string | undefined },
): Promise<ReplyResult> {
  const record = await petitionersCase(deps, radicado, credential);
  const { event } = await withDocuments(deps.documents, record.entityId, reply.attachments, (documents) =>
    actAsPetitioner(
      deps,
      radicado,
      credential,
      { type: 'reply' },
      { details: { text: reply.text }, documents, idempotencyKey: reply.idempotencyKey, record },
    ),
  );
  const status = event.data.status as { from: string; to: string };
  return {
    radicado,
    respondedTo: status.from === 'awaiting_clarification' ? 'clarification' : 'completion',
    receivedAt: event.at,
    status: status.to,
    dueDate: (event.data.dueDate as string | null | undefined) ?? null,
  };
}

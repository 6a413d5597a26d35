/**
 * The petitioner answers the pending completion (Ley 1755 art. 17) or clarification (art. 19)
 * request: recorded as their submission at that instant, the clock resumes (or restarts) as its
 * rule set says, and the case goes back to its office, whose officers are told (the `replied`
 * event is a staff notice).
 */
import { plainText } from '#domain/text.ts';
import { actAsPetitioner, type PetitionerCredential, type PetitionerDeps } from './petitioner.ts';

export const ReplyTextSchema = plainText(20_000);

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
  deps: PetitionerDeps,
  radicado: string,
  credential: PetitionerCredential,
  reply: { text: string; idempotencyKey?: string | undefined },
): Promise<ReplyResult> {
  const { event } = await actAsPetitioner(
    deps,
    radicado,
    credential,
    { type: 'reply' },
    {
      details: { text: reply.text },
      idempotencyKey: reply.idempotencyKey,
    },
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

/**
 * The petitioner insists after a denial citing a legal reserve (Ley 1755 art. 26; Ley 1712 art. 27
 * where it applies): the case moves to `insistence` and the office must send the file to the
 * competent court (the officer action `send_to_court`), which decides within 10 days.
 */
import { actAsPetitioner, type PetitionerCredential, type PetitionerDeps } from './petitioner.ts';

export async function insistOnCase(
  deps: PetitionerDeps,
  radicado: string,
  credential: PetitionerCredential,
  request: { idempotencyKey?: string | undefined },
): Promise<{ radicado: string; status: string; insistedAt: string; insistenceBy: string }> {
  const { event } = await actAsPetitioner(
    deps,
    radicado,
    credential,
    { type: 'insist' },
    {
      idempotencyKey: request.idempotencyKey,
    },
  );
  return {
    radicado,
    status: 'insistence',
    insistedAt: event.at,
    insistenceBy: String(event.data.insistenceBy),
  };
}

/**
 * The petitioner withdraws their petition (Ley 1755 art. 18, desistimiento expreso): the case is
 * closed as withdrawn, the office is told, and it may continue it of its own motion for public
 * interest (the officer action `continue_ex_officio`).
 */
import { actAsPetitioner, type PetitionerCredential, type PetitionerDeps } from './petitioner.ts';

export async function withdrawPetition(
  deps: PetitionerDeps,
  radicado: string,
  credential: PetitionerCredential,
  request: { reason?: string | undefined; idempotencyKey?: string | undefined },
): Promise<{ radicado: string; status: string; withdrawnAt: string }> {
  const { event } = await actAsPetitioner(
    deps,
    radicado,
    credential,
    { type: 'withdraw_petition', ...(request.reason !== undefined ? { reason: request.reason } : {}) },
    { idempotencyKey: request.idempotencyKey },
  );
  return { radicado, status: 'withdrawn', withdrawnAt: event.at };
}

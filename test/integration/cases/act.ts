/**
 * An officer's action at a given instant, for tests that need a case's past (a completion
 * requested weeks ago, say): the lifecycle decides it as actOnCase does, and the change is
 * committed through the real case store. The case's last change is taken as its receipt, so an
 * action may be dated before the routing that the test's own clock just did.
 */
import type { DynamoCaseStore } from '#adapters/dynamodb/caseStore.ts';
import type { Actor } from '#domain/actor.ts';
import { chainEvent } from '#domain/case/audit.ts';
import { applyLifecycle, type CaseRecord, lifecycleSeedOf } from '#domain/case/case.ts';
import { decide, type LifecycleActionInput, lifecycleOf } from '#domain/case/lifecycle.ts';

export const supervisor = (entityId = 'MINTIC'): Actor => ({
  subject: 'supervisor-sub-1',
  entityId,
  roles: ['supervisor'],
  offices: [],
});

export async function actAt(
  store: DynamoCaseStore,
  radicado: string,
  action: LifecycleActionInput,
  at: string,
  extra: Record<string, unknown> = {},
  actor: Actor = supervisor(),
): Promise<CaseRecord> {
  const before = await store.get(radicado);
  if (!before) throw new Error(`no case ${radicado}`);
  const state = lifecycleOf({ ...lifecycleSeedOf(before), updatedAt: before.receivedAt });
  const decision = decide(state, action, actor, at);
  if (!decision.ok) throw new Error(`${action.type} refused: ${decision.reason}: ${decision.message.en}`);
  const event = chainEvent(
    { seq: before.lastEventSeq, hash: before.lastEventHash },
    {
      radicado,
      type: decision.event.type,
      at,
      actor: { kind: 'officer', id: actor.subject },
      data: { ...decision.event.data, ...extra },
    },
  );
  const after = {
    ...applyLifecycle(before, decision.next),
    lastEventSeq: event.seq,
    lastEventHash: event.hash,
  };
  // An answer keeps its record, text included, as actOnCase does.
  if (action.type === 'respond' && decision.next.answer) {
    after.answer = { ...decision.next.answer, text: action.answer };
  }
  await store.commit({ before, after, event });
  return after;
}

/**
 * One change of a case, written once: its audit event chained to the case's head, the case at the
 * next version with that head, committed on the condition of the version read.
 */
import { chainEvent, type NewEvent } from '#domain/case/audit.ts';
import type { CaseRecord } from '#domain/case/case.ts';
import { type CaseChange, type CaseStore, StaleCaseError } from '#ports/index.ts';

/** What a change does: its event (the case's radicado added) and the case after it. */
export interface CaseEdit {
  event: Omit<NewEvent, 'radicado'>;
  /** The case as changed; its version and audit head are set by `caseChange`. */
  after: CaseRecord;
}

/** The change of `before` that `edit` describes: the chained event, the case at the next version. */
export function caseChange(before: CaseRecord, edit: CaseEdit): CaseChange {
  const event = chainEvent(
    { seq: before.lastEventSeq, hash: before.lastEventHash },
    { radicado: before.radicado, ...edit.event },
  );
  return {
    before,
    after: { ...edit.after, version: before.version + 1, lastEventSeq: event.seq, lastEventHash: event.hash },
    event,
  };
}

export type ChangeOutcome = 'changed' | 'unchanged' | 'stale' | 'not_found';

/**
 * Reads the case, asks `edit` for its change (undefined: nothing to do) and commits it; `stale`
 * when the case changed since it was read (nothing written).
 */
export async function changeCase(
  cases: CaseStore,
  radicado: string,
  edit: (before: CaseRecord) => Promise<CaseEdit | undefined> | CaseEdit | undefined,
): Promise<ChangeOutcome> {
  const before = await cases.get(radicado);
  if (!before) return 'not_found';
  const wanted = await edit(before);
  if (!wanted) return 'unchanged';
  try {
    await cases.commit(caseChange(before, wanted));
    return 'changed';
  } catch (error) {
    if (error instanceof StaleCaseError) return 'stale';
    throw error;
  }
}

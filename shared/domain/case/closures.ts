/**
 * Closures and acts suspending terms reach every pending case (RULES.md, "Second pass"): when an
 * entity's closure list changes, each pending case takes the new list (it keeps the term lengths
 * and office hours of its receipt), its dates are computed again, and the change is recorded.
 * Pure: the use case pages through the pending cases and commits each change.
 */
import type { ClosureEntry } from '../clock/index.ts';
import { canonicalJson } from '../text.ts';
import { type CaseRecord, caseDatesOf, lifecycleSeedOf } from './case.ts';
import { lifecycleOf } from './lifecycle.ts';
import { isPending } from './status.ts';

/** The dates a closure may move, as the case stores them. */
const DATES = [
  'dueDate',
  'legalDue',
  'maxExtendedDue',
  'petitionerRespondBy',
  'extendedUntil',
  'forwardBy',
  'completionRequestBy',
  'copiesDue',
] as const;

export interface ClosuresChange {
  readonly after: CaseRecord;
  /** The audit event's data: each date that moved, from → to; `dueMoved` decides the notice. */
  readonly data: {
    readonly moved: Record<string, { from: string | null; to: string | null }>;
    readonly dueMoved: boolean;
    readonly dueDate: string | null;
    readonly petitionerRespondBy: string | null;
    readonly closures: number;
  };
}

/** Whether the case's stored closures are the entity's (no change to apply). */
export function sameClosures(
  record: Pick<CaseRecord, 'clockSettings'>,
  closures: readonly ClosureEntry[] | undefined,
): boolean {
  return canonicalJson(record.clockSettings.closures ?? []) === canonicalJson(closures ?? []);
}

/** Whether the case must take the closures of settings `version`: pending, newer, different. */
export function needsClosures(
  record: Pick<CaseRecord, 'status' | 'closuresVersion' | 'clockSettings'>,
  closures: readonly ClosureEntry[] | undefined,
  version: number,
): boolean {
  return (
    isPending(record.status) && (record.closuresVersion ?? -1) < version && !sameClosures(record, closures)
  );
}

/**
 * The case under the closures of the entity's settings `version` at `at`, or undefined when
 * nothing is to change (see needsClosures).
 */
export function applyClosures(
  record: CaseRecord,
  closures: readonly ClosureEntry[] | undefined,
  version: number,
  at: string,
): ClosuresChange | undefined {
  if (!needsClosures(record, closures, version)) return undefined;
  const { closures: _old, ...kept } = record.clockSettings;
  const clockSettings = closures && closures.length > 0 ? { ...kept, closures: [...closures] } : kept;
  const moved = { ...record, clockSettings };
  const dates = caseDatesOf(lifecycleOf(lifecycleSeedOf(moved)).dates);
  const { copiesDue: _c, ...rest } = moved;
  const after: CaseRecord = { ...rest, ...dates, closuresVersion: version, updatedAt: at };
  const changes: Record<string, { from: string | null; to: string | null }> = {};
  for (const field of DATES) {
    const from = (record[field] as string | null | undefined) ?? null;
    const to = (after[field] as string | null | undefined) ?? null;
    if (from !== to) changes[field] = { from, to };
  }
  return {
    after,
    data: {
      moved: changes,
      dueMoved: 'dueDate' in changes || 'petitionerRespondBy' in changes,
      dueDate: after.dueDate ?? null,
      petitionerRespondBy: after.petitionerRespondBy ?? null,
      closures: closures?.length ?? 0,
    },
  };
}

/**
 * An entity's closures reach every pending case (RULES.md, "Second pass"): each pending case whose
 * stored closures are not the entity's takes them, in its own transaction with an audit event
 * (`closures_applied`, which tells the petitioner when the due date or their last day moved).
 * Run when the settings change and by every sweep, so a change interrupted half-way completes; a
 * case records the settings version it took, and only a newer one replaces it (a sweep that read
 * the settings before a change cannot undo it).
 */

import { applyClosures, needsClosures } from '#domain/case/closures.ts';
import type { Entity } from '#domain/entity.ts';
import type { EntitySettingsStore } from '#ports/entitySettings.ts';
import type { CaseStore, Clock } from '#ports/index.ts';
import { changeCase } from './caseChange.ts';

export interface ClosuresDeps {
  cases: CaseStore;
  clock: Clock;
  /** Cases read per page (default 100). */
  pageSize?: number;
  /** Stop after this long (ms), leaving the rest to the sweep: a request must answer in time. */
  budgetMs?: number;
}

export interface ClosuresReport {
  /** Pending cases that took the entity's closures. */
  applied: number;
  /** Changed meanwhile twice: left for the next sweep. */
  stale: number;
  /** Stopped at the budget: the sweep applies the rest. */
  partial: boolean;
}

/** Every pending case of the entity (the watch index holds exactly those, the never due ones under this date). */
const EVERY_PENDING_CASE = '9999-12-31';

/** The closures of the entity's settings at a version (read consistently: see needsClosures). */
export interface VersionedClosures {
  entityId: string;
  closures: Entity['closures'];
  version: number;
}

/** One case takes the entity's closures (re-read, re-judged, committed on its version). */
export async function applyClosuresTo(
  deps: Pick<ClosuresDeps, 'cases'>,
  entity: VersionedClosures,
  radicado: string,
  at: string,
): Promise<'applied' | 'unchanged' | 'stale'> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const outcome = await changeCase(deps.cases, radicado, (before) => {
      const change = applyClosures(before, entity.closures, entity.version, at);
      return (
        change && {
          event: {
            type: 'closures_applied',
            at,
            actor: { kind: 'system', id: 'closures' },
            data: change.data,
          },
          after: change.after,
        }
      );
    });
    if (outcome === 'changed') return 'applied';
    if (outcome !== 'stale') return 'unchanged';
  }
  return 'stale';
}

export async function applyEntityClosures(
  deps: ClosuresDeps,
  entity: VersionedClosures,
): Promise<ClosuresReport> {
  const at = deps.clock.now().toISOString();
  const report: ClosuresReport = { applied: 0, stale: 0, partial: false };
  const stopAt = deps.budgetMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + deps.budgetMs;
  let cursor: string | undefined;
  do {
    if (Date.now() > stopAt) {
      report.partial = true;
      break;
    }
    const page = await deps.cases.listWatched(entity.entityId, EVERY_PENDING_CASE, {
      limit: deps.pageSize ?? 100,
      ...(cursor ? { cursor } : {}),
    });
    cursor = page.cursor;
    for (const { case: record } of page.items) {
      if (!needsClosures(record, entity.closures, entity.version)) continue;
      const outcome = await applyClosuresTo(deps, entity, record.radicado, at);
      if (outcome !== 'unchanged') report[outcome] += 1;
    }
  } while (cursor);
  return report;
}

/** The entity's closures at their version, read consistently (undefined: no such entity). */
export async function versionedClosures(
  settings: Pick<EntitySettingsStore, 'getVersioned'>,
  entityId: string,
): Promise<VersionedClosures | undefined> {
  const stored = await settings.getVersioned(entityId);
  if (!stored) return undefined;
  const closures = stored.settings.closures as Entity['closures'];
  return { entityId, closures, version: stored.version };
}

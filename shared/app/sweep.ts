/**
 * The clock keeps watch (issue 5): for each entity, the pending cases whose watch date is within
 * the horizon (the sparse watch index, read by key: no scan), each judged by `watchCase`:
 *  - the semáforo alert the case calls for is recorded once per (case, level, due date): existing
 *    alerts are read in batches first (a read costs less than a refused conditional write, and
 *    most cases were alerted on an earlier run), the missing ones put on the condition that they do
 *    not exist. The alert item's INSERT is what notifies (the notifications pipe), so a rerun, or
 *    two sweeps at once, send nothing twice;
 *  - an information request past its due date is marked deemed accepted once (an audit event,
 *    committed with optimistic concurrency; a case changed meanwhile is left for the next run);
 *  - suspended cases past the petitioner's last day are withdrawal candidates (an alert each).
 * The report is counts only (no personal data), for metrics.
 */

import { needsClosures } from '#domain/case/closures.ts';
import { ALERT_KINDS, type AlertKind, alertKey, watchCase, watchHorizon } from '#domain/case/watch.ts';
import { DEFAULT_SEMAFORO, type Entity } from '#domain/entity.ts';
import type { EntitySettingsStore } from '#ports/entitySettings.ts';
import type { CaseStore, Clock, EntityStore } from '#ports/index.ts';
import type { NoticeStore } from '#ports/notifications.ts';
import { changeCase } from './caseChange.ts';
import { applyClosuresTo, versionedClosures } from './closures.ts';

export interface SweepDeps {
  cases: CaseStore;
  /** The settings' versions too: closures are compared at the version read (closures.ts). */
  entities: EntityStore & Pick<EntitySettingsStore, 'getVersioned'>;
  notices: NoticeStore;
  clock: Clock;
  /** Cases read per page of the watch index (default 100). */
  pageSize?: number;
}

export interface SweepReport {
  entities: number;
  /** Pending cases read within the horizon. */
  watched: number;
  /** Alerts recorded by this run, by kind (each notifies once). */
  alerts: Record<AlertKind, number>;
  deemedAccepted: number;
  /** Suspended cases past the petitioner's last day (alerted or not by this run). */
  withdrawalCandidates: number;
  /** Cases changed while this run looked at them: left for the next run. */
  stale: number;
  /** Cases whose clock could not be computed (bad stored data): left as they are. */
  failed: number;
  /** Pending cases that took the entity's closures this run (a settings change left unfinished). */
  closuresApplied: number;
}

function emptyReport(): SweepReport {
  return {
    entities: 0,
    watched: 0,
    alerts: Object.fromEntries(ALERT_KINDS.map((k) => [k, 0])) as Record<AlertKind, number>,
    deemedAccepted: 0,
    withdrawalCandidates: 0,
    stale: 0,
    failed: 0,
    closuresApplied: 0,
  };
}

/** Marks an information request deemed accepted (Ley 1755 art. 14 num. 1), re-read and re-judged first. */
async function deemAccepted(
  deps: SweepDeps,
  radicado: string,
  at: string,
  entity: Entity,
): Promise<'marked' | 'stale' | 'not_due'> {
  const outcome = await changeCase(deps.cases, radicado, (before) => {
    const decision = watchCase(before, at, entity.semaforo ?? DEFAULT_SEMAFORO);
    if (!decision.deemAccepted || decision.status === null) return undefined;
    return {
      event: {
        type: 'deemed_accepted',
        at,
        actor: { kind: 'system', id: 'sweeper' },
        data: {
          dueDate: decision.status.due,
          copiesDue: before.copiesDue ?? null,
          businessDaysOverdue: decision.status.businessDaysOverdue,
        },
      },
      after: { ...before, deemedAccepted: true, updatedAt: at },
    };
  });
  return outcome === 'changed' ? 'marked' : outcome === 'stale' ? 'stale' : 'not_due';
}

async function sweepEntity(deps: SweepDeps, entity: Entity, at: string, report: SweepReport): Promise<void> {
  const thresholds = entity.semaforo ?? DEFAULT_SEMAFORO;
  const until = watchHorizon(at, thresholds);
  // Read consistently, once per run: a pending case whose closures an interrupted change missed.
  const closures = await versionedClosures(deps.entities, entity.id);
  let cursor: string | undefined;
  do {
    const page = await deps.cases.listWatched(entity.id, until, {
      limit: deps.pageSize ?? 100,
      ...(cursor ? { cursor } : {}),
    });
    cursor = page.cursor;
    report.watched += page.items.length;
    for (const record of page.items) {
      if (!closures || !needsClosures(record, closures.closures, closures.version)) continue;
      const outcome = await applyClosuresTo(deps, closures, record.radicado, at);
      if (outcome === 'applied') report.closuresApplied += 1;
      if (outcome === 'stale') report.stale += 1;
    }
    const decisions = page.items.flatMap((record) => {
      try {
        return [watchCase(record, at, thresholds)];
      } catch {
        report.failed += 1; // a ClockError on stored data: the case is left as it is
        return [];
      }
    });
    const alerts = decisions.flatMap((d) =>
      [...(d.alert ? [d.alert] : []), ...d.duties].map((alert) => ({
        alert,
        sk: alertKey(alert.alert, alert.date),
      })),
    );
    const existing = await deps.notices.existingAlerts(
      alerts.map((a) => ({ radicado: a.alert.radicado, sk: a.sk })),
    );
    for (const { alert, sk } of alerts) {
      if (existing.has(`${alert.radicado}|${sk}`)) continue;
      if (await deps.notices.putAlert(alert, sk)) report.alerts[alert.alert] += 1;
    }
    for (const d of decisions) {
      if (d.withdrawalCandidate) report.withdrawalCandidates += 1;
      if (!d.deemAccepted) continue;
      const outcome = await deemAccepted(deps, d.radicado, at, entity);
      if (outcome === 'marked') report.deemedAccepted += 1;
      if (outcome === 'stale') report.stale += 1;
    }
  } while (cursor);
}

export async function sweepCases(deps: SweepDeps): Promise<SweepReport> {
  const at = deps.clock.now().toISOString();
  const report = emptyReport();
  for (const entity of await deps.entities.list()) {
    report.entities += 1;
    await sweepEntity(deps, entity, at, report);
  }
  return report;
}

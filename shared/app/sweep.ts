/**
 * The clock keeps watch (issue 5), by time, not by scan (issue 17; docs/adr/0017). Every write of
 * a pending case places it on its entity's watch index at the instant of its first alert from
 * that change on (nextAlert.ts); the sweep reads, per entity, only the cases whose instant has
 * come, and judges each with `watchCase`:
 *  - the semáforo alert the case calls for is recorded once per (case, level, due date), put on the
 *    condition that it does not exist (for a case placed by a write, existing alerts are read in
 *    batches first: it was most likely alerted before). The alert item's INSERT is what notifies
 *    (the notifications pipe), so a rerun, or two sweeps at once, send nothing twice;
 *  - an information request past its due date is marked deemed accepted once (an audit event,
 *    committed with optimistic concurrency; a case changed meanwhile is left for the next run);
 *  - suspended cases past the petitioner's last day are withdrawal candidates (an alert each);
 * then moves the case on to its next alert instant (or to "never"), on the version read: a case
 * written meanwhile was placed by its write. At most `budget` cases a run, none begun after
 * `stopBy` (the function's deadline, less a margin); the next run starts at
 * the entity where this one stopped, so every entity is served in turn and a backlog drains.
 *
 * Settings that place cases (closures, semáforo thresholds) reach every pending case once per
 * change: a pass over the entity's pending cases applies the closures (closures.ts) and places
 * each case again; it is recorded as settled once complete and begun after writers' cached copies
 * of the old settings expired. The first run settles every entity (cases placed by due date
 * before issue 17 are placed by instant). The report is counts only (no personal data).
 */

import { needsClosures } from '#domain/case/closures.ts';
import { isDayStart, nextAlertAt, nextDayStart, watchInstant } from '#domain/case/nextAlert.ts';
import { ALERT_KINDS, type AlertKind, alertKey, type WatchDecision, watchCase } from '#domain/case/watch.ts';
import type { SemaforoThresholds } from '#domain/clock/index.ts';
import { DEFAULT_SEMAFORO, type Entity, EntitySchema } from '#domain/entity.ts';
import { canonicalJson, sha256Hex } from '#domain/text.ts';
import type { EntitySettingsStore } from '#ports/entitySettings.ts';
import type { CaseStore, Clock, EntityStore, SweepState, Watched } from '#ports/index.ts';
import type { NoticeStore } from '#ports/notifications.ts';
import { changeCase } from './caseChange.ts';
import { applyClosuresTo, type VersionedClosures } from './closures.ts';

export interface SweepDeps {
  cases: CaseStore;
  /** The settings' versions too: closures are compared at the version read (closures.ts). */
  entities: EntityStore & Pick<EntitySettingsStore, 'getVersioned'>;
  notices: NoticeStore;
  clock: Clock;
  /** Cases read per page of the watch index (default 100). */
  pageSize?: number;
  /** Due cases served per run at most (default DEFAULT_BUDGET): the rest wait for the next run. */
  budget?: number;
  /** How long a run may spend settling settings (ms, default 60 s): the next run goes on from there. */
  settleBudgetMs?: number;
  /**
   * When the run starts no more work (epoch ms): the function's deadline less a margin. What is
   * left waits for the next run, which starts where this one stopped, as with the budget.
   */
  stopBy?: number;
}

/**
 * Due cases a run serves at most. A case costs a few requests (its page share, the alert check,
 * the move; a page's at once): 2,000 take seconds, and a run every 5 minutes serves more than half
 * a million a day. A slow day is bounded by `stopBy` instead.
 */
export const DEFAULT_BUDGET = 2_000;

/**
 * How long after a settings change writers may still place cases with the old settings: the
 * entity store caches settings for a minute (entityStore.ts); twice that, and a margin for clocks.
 */
export const SETTLE_AFTER_MS = 3 * 60_000;

/** Every pending case (the watch index lists those never due under this date). */
const EVERY_PENDING_CASE = '9999-12-31';

export interface SweepReport {
  entities: number;
  /** Due cases read from the watch index this run. */
  watched: number;
  /** Alerts recorded by this run, by kind (each notifies once). */
  alerts: Record<AlertKind, number>;
  deemedAccepted: number;
  /** Suspended cases past the petitioner's last day among those read (alerted or not by this run). */
  withdrawalCandidates: number;
  /** Cases changed while this run looked at them: left for the next run. */
  stale: number;
  /** Cases whose clock could not be computed (bad stored data): left as they are, tried again tomorrow. */
  failed: number;
  /** Pending cases that took the entity's closures this run (a settings change left unfinished). */
  closuresApplied: number;
  /** Pending cases placed again on the watch index by a settings pass. */
  replaced: number;
  /** Entities whose settings every pending case has taken, as of this run. */
  settled: number;
  /** The budget or the time ran out: due cases wait for the next run, which starts where this one stopped. */
  budgetReached: boolean;
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
    replaced: 0,
    settled: 0,
    budgetReached: false,
  };
}

/** What of an entity's settings places its cases: a change of the mark calls for a settling pass. */
export function settingsMark(settings: { closures?: unknown; semaforo?: unknown }): string {
  return sha256Hex(
    canonicalJson({ closures: settings.closures ?? [], semaforo: settings.semaforo ?? DEFAULT_SEMAFORO }),
  ).slice(0, 16);
}

/** Marks an information request deemed accepted (Ley 1755 art. 14 num. 1), re-read and re-judged first. */
async function deemAccepted(
  deps: SweepDeps,
  radicado: string,
  at: string,
  thresholds: SemaforoThresholds,
): Promise<'marked' | 'stale' | 'not_due'> {
  const outcome = await changeCase(deps.cases, radicado, (before) => {
    const decision = watchCase(before, at, thresholds);
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

/** The instant a case read now is looked at next: its next alert, or tomorrow when it cannot be judged. */
function nextLook(
  w: Watched,
  at: string,
  thresholds: SemaforoThresholds,
  report: SweepReport,
): string | null {
  try {
    return nextAlertAt(w.case, at, thresholds);
  } catch {
    report.failed += 1; // a ClockError on stored data: left as it is, looked at again tomorrow
    return nextDayStart(at);
  }
}

/** One page of due cases: alerts, deemed acceptance, then each case moved on. */
async function servePage(
  deps: SweepDeps,
  page: readonly Watched[],
  at: string,
  thresholds: SemaforoThresholds,
  report: SweepReport,
): Promise<void> {
  const judged = page.map((w) => {
    try {
      return { w, decision: watchCase(w.case, at, thresholds) as WatchDecision | undefined };
    } catch {
      return { w, decision: undefined };
    }
  });
  const alerts = judged.flatMap(({ w, decision: d }) =>
    d
      ? [...(d.alert ? [d.alert] : []), ...d.duties].map((alert) => ({
          alert,
          sk: alertKey(alert.alert, alert.date),
          // Placed at a day start, the case is due for what is new that day: its alerts are put
          // at once. Placed at a write's instant, it was most likely alerted already: read first
          // (a read costs less than a refused conditional write).
          check: w.at === null || !isDayStart(w.at),
        }))
      : [],
  );
  const existing = await deps.notices.existingAlerts(
    alerts.filter((a) => a.check).map((a) => ({ radicado: a.alert.radicado, sk: a.sk })),
  );
  // Independent conditional puts: a page's at once.
  const put = await Promise.all(
    alerts
      .filter(({ alert, sk }) => !existing.has(`${alert.radicado}|${sk}`))
      .map(async ({ alert, sk }) => ((await deps.notices.putAlert(alert, sk)) ? alert.alert : undefined)),
  );
  for (const kind of put) if (kind !== undefined) report.alerts[kind] += 1;
  const moves: Watched[] = [];
  for (const { w, decision: d } of judged) {
    if (d?.withdrawalCandidate) report.withdrawalCandidates += 1;
    if (d?.deemAccepted) {
      const outcome = await deemAccepted(deps, d.radicado, at, thresholds);
      if (outcome === 'marked') report.deemedAccepted += 1;
      if (outcome === 'stale') report.stale += 1;
      // Written (by this run or meanwhile): the write placed the case.
      if (outcome !== 'not_due') continue;
    }
    moves.push(w);
  }
  // Independent single-item updates: a page's at once.
  await Promise.all(moves.map((w) => deps.cases.moveWatch(w, nextLook(w, at, thresholds, report))));
}

/**
 * Serves the entities' due cases a page each in turn, within the budget: an entity with a backlog
 * (a settings change, a migration) takes its share, never the whole run. Returns the entity whose
 * turn it was when the budget ran out (the next run starts there), or undefined.
 */
async function serveInTurn(
  deps: SweepDeps,
  entities: readonly Entity[],
  at: string,
  report: SweepReport,
  budget: number,
): Promise<string | undefined> {
  let left = budget;
  const stopBy = deps.stopBy ?? Number.POSITIVE_INFINITY;
  const turns = entities.map((entity) => ({ entity, cursor: undefined as string | undefined, done: false }));
  while (turns.some((t) => !t.done)) {
    for (const turn of turns) {
      if (turn.done) continue;
      if (left <= 0 || Date.now() > stopBy) return turn.entity.id;
      const page = await deps.cases.listWatched(turn.entity.id, at, {
        limit: Math.min(deps.pageSize ?? 100, left),
        ...(turn.cursor ? { cursor: turn.cursor } : {}),
      });
      turn.cursor = page.cursor;
      turn.done = page.cursor === undefined;
      left -= page.items.length;
      report.watched += page.items.length;
      await servePage(deps, page.items, at, turn.entity.semaforo ?? DEFAULT_SEMAFORO, report);
    }
  }
  return undefined;
}

/**
 * A settling pass over an entity's pending cases (resumed from `state.settling`): the closures
 * applied where missing, each case placed again where its place moved. Settled once complete
 * with nothing stale, if begun after writers' caches of the previous settings expired.
 */
async function settleEntity(
  deps: SweepDeps,
  entity: Entity,
  state: SweepState,
  at: string,
  stopAt: number,
  report: SweepReport,
): Promise<void> {
  const stored = await deps.entities.getVersioned(entity.id);
  const parsed = stored && EntitySchema.safeParse({ ...stored.settings, id: entity.id });
  if (!stored || !parsed?.success) return; // gone, or refused by today's rules (not listed either)
  const settings = parsed.data;
  const mark = settingsMark(settings);
  const closures: VersionedClosures = {
    entityId: entity.id,
    closures: settings.closures,
    version: stored.version,
  };
  const thresholds = settings.semaforo ?? DEFAULT_SEMAFORO;
  const settling = state.settling ?? {};
  state.settling = settling;
  const resumed = settling[entity.id];
  const pass = resumed?.mark === mark ? resumed : { mark, startedAt: at };
  let cursor = pass.cursor;
  let stale = pass.stale === true;
  do {
    if (Date.now() > stopAt) {
      settling[entity.id] = {
        mark,
        startedAt: pass.startedAt,
        ...(cursor ? { cursor } : {}),
        ...(stale ? { stale } : {}),
      };
      return;
    }
    const page = await deps.cases.listWatched(entity.id, EVERY_PENDING_CASE, {
      limit: deps.pageSize ?? 100,
      ...(cursor ? { cursor } : {}),
    });
    cursor = page.cursor;
    const moves: Promise<boolean>[] = [];
    for (const w of page.items) {
      if (needsClosures(w.case, closures.closures, closures.version)) {
        const outcome = await applyClosuresTo(deps, closures, w.case.radicado, at);
        if (outcome === 'applied') report.closuresApplied += 1;
        if (outcome === 'stale') report.stale += 1;
        stale ||= outcome === 'stale';
        continue; // written: the write placed it
      }
      const place = watchInstant(w.case, thresholds) ?? null;
      if (place !== w.at) moves.push(deps.cases.moveWatch(w, place));
    }
    report.replaced += (await Promise.all(moves)).filter(Boolean).length;
  } while (cursor);
  delete settling[entity.id];
  const afterCaches =
    stored.updatedAt === undefined ||
    Date.parse(pass.startedAt) - Date.parse(stored.updatedAt) >= SETTLE_AFTER_MS;
  if (!stale && afterCaches) {
    state.settled[entity.id] = mark;
    report.settled += 1;
  }
}

/** The entities from the one the run starts at (where the last one stopped), round to the others. */
function inTurn(entities: readonly Entity[], startAt: string | undefined): Entity[] {
  const sorted = [...entities].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const from = startAt === undefined ? 0 : sorted.findIndex((e) => e.id >= startAt);
  return from <= 0 ? sorted : [...sorted.slice(from), ...sorted.slice(0, from)];
}

export async function sweepCases(deps: SweepDeps): Promise<SweepReport> {
  const at = deps.clock.now().toISOString();
  const report = emptyReport();
  const before = await deps.cases.sweepState();
  const state: SweepState = before ? structuredClone(before) : { settled: {} };
  const entities = await deps.entities.list();
  report.entities = entities.length;

  const stopAt = Math.min(
    Date.now() + (deps.settleBudgetMs ?? 60_000),
    deps.stopBy ?? Number.POSITIVE_INFINITY,
  );
  for (const entity of entities) {
    if (state.settled[entity.id] === settingsMark(entity) && !state.settling?.[entity.id]) continue;
    await settleEntity(deps, entity, state, at, stopAt, report);
  }

  delete state.startAt;
  const stoppedAt = await serveInTurn(
    deps,
    inTurn(entities, before?.startAt),
    at,
    report,
    deps.budget ?? DEFAULT_BUDGET,
  );
  if (stoppedAt !== undefined) {
    state.startAt = stoppedAt;
    report.budgetReached = true;
  }
  if (state.settling && Object.keys(state.settling).length === 0) delete state.settling;
  if (canonicalJson(state) !== canonicalJson(before ?? {})) await deps.cases.saveSweepState(state);
  return report;
}

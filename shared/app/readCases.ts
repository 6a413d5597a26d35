/** Reads: the public view of a case, an office inbox, the entities a portal offers. */

import type { CaseRecord } from '#domain/case/case.ts';
import { publicView } from '#domain/case/case.ts';
import { type ClockInput, clockStatus, computeClock, type EntityClock } from '#domain/clock/index.ts';
import { DEFAULT_SEMAFORO, type Entity, publicEntity } from '#domain/entity.ts';
import type { CaseStore, Clock, EntityStore } from '#ports/index.ts';
import { UseCaseError } from './errors.ts';
import { trackingCodeMatches } from './tracking.ts';

export interface ReadDeps {
  cases: CaseStore;
  entities: EntityStore;
  clock: Clock;
}

const NOT_FOUND = () => new UseCaseError('not_found', 'no case with that radicado and tracking code');

/**
 * One settings object per distinct snapshot: the clock indexes a settings object once and caches
 * it by identity, and cases read from the table each carry their own copy.
 */
const snapshots = new Map<string, EntityClock>();

function settingsOf(c: CaseRecord): EntityClock {
  const key = JSON.stringify(c.clockSettings ?? {});
  let settings = snapshots.get(key);
  if (!settings) {
    if (snapshots.size >= 1000) snapshots.clear();
    settings = c.clockSettings ?? {};
    snapshots.set(key, settings);
  }
  return settings;
}

/** The case's clock input: its receipt and the entity's settings as they were at receipt. */
function clockInput(c: CaseRecord): ClockInput {
  return { termClass: c.termClass, filed: c.receivedAt, entity: settingsOf(c) };
}

/** The case's clock now: semáforo and days (thresholds are today's entity setting: a display choice). */
function clockNow(c: CaseRecord, entity: Entity | undefined, now: Date) {
  return clockStatus(clockInput(c), now.toISOString(), entity?.semaforo ?? DEFAULT_SEMAFORO);
}

/** Wrong code and unknown radicado answer the same, so neither can be probed. */
export async function getPublicCase(deps: ReadDeps, radicado: string, trackingCode: string | undefined) {
  const record = await deps.cases.get(radicado);
  if (!record || !trackingCode || !trackingCodeMatches(trackingCode, record.trackingHash)) throw NOT_FOUND();
  const entity = await deps.entities.get(record.entityId);
  const status = clockNow(record, entity, deps.clock.now());
  const explanation = computeClock(clockInput(record)).trace;
  return publicView(record, status, explanation);
}

export async function listInbox(
  deps: ReadDeps,
  entityId: string,
  office: string,
  page: { limit: number; cursor?: string },
) {
  const entity = await deps.entities.get(entityId);
  if (!entity?.offices.some((o) => o.id === office)) {
    throw new UseCaseError('not_found', `no office ${office} in ${entityId}`, [
      { field: 'office', message: 'is not an office of your entity' },
    ]);
  }
  const result = await deps.cases.listInbox(entityId, office, page);
  const now = deps.clock.now();
  return {
    items: result.items.map((c) => {
      const status = clockNow(c, entity, now);
      return {
        radicado: c.radicado,
        kind: c.kind,
        termClass: c.termClass,
        subject: c.subject,
        category: c.category ?? null,
        channel: c.channel,
        priority: c.priority,
        anonymous: c.anonymous,
        status: c.status,
        receivedAt: c.receivedAt,
        dueDate: c.dueDate,
        semaforo: status.semaforo,
        businessDaysLeft: status.businessDaysLeft,
        forwardSuggested: c.forwardSuggested ?? null,
        forwardBy: c.forwardBy,
      };
    }),
    ...(result.cursor ? { cursor: result.cursor } : {}),
  };
}

export async function listPublicEntities(deps: Pick<ReadDeps, 'entities'>) {
  const entities = await deps.entities.list();
  return { items: entities.map(publicEntity) };
}

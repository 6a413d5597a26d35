/** Reads: the public view of a case, an office inbox, the entities a portal offers. */

import { type Actor, canActOnOffice } from '#domain/actor.ts';
import type { CaseRecord } from '#domain/case/case.ts';
import { lifecycleSeedOf, publicView } from '#domain/case/case.ts';
import { allowedActions, insistenceBy, lifecycleOf } from '#domain/case/lifecycle.ts';
import { pendingRequest, petitionerTimeline } from '#domain/case/timeline.ts';
import { type NoticeRecord, noticeRecords } from '#domain/channels.ts';
import { type ClockInput, clockStatus, computeClock, type EntityClock } from '#domain/clock/index.ts';
import { DEFAULT_SEMAFORO, type Entity, publicEntity } from '#domain/entity.ts';
import type { Semaforo } from '#domain/vocabulary.ts';
import type { CaseStore, Clock, EntityStore, InboxQuery } from '#ports/index.ts';
import type { NoticeStore } from '#ports/notifications.ts';
import { requireDuty } from './access.ts';
import { invalid, paged, UseCaseError } from './errors.ts';

export interface ReadDeps {
  cases: CaseStore;
  entities: EntityStore;
  clock: Clock;
  /** The notices the petitioner was given (absent: the views show none). */
  notices?: Pick<NoticeStore, 'eventMarks'>;
}

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

/** The case's clock input: its receipt, the entity's settings as they were then, its clock events. */
function clockInput(c: CaseRecord): ClockInput {
  return {
    termClass: c.termClass,
    filed: c.receivedAt,
    entity: settingsOf(c),
    ...(c.clockEvents?.length ? { events: c.clockEvents.map((e) => ({ ...e })) } : {}),
  };
}

/** The case's clock now: semáforo and days (thresholds are today's entity setting: a display choice). */
function clockNow(c: CaseRecord, entity: Entity | undefined, now: Date) {
  return clockStatus(clockInput(c), now.toISOString(), entity?.semaforo ?? DEFAULT_SEMAFORO);
}

/** The petitioner's view of their case: no personal data, the answer, what is asked of them, the steps. */
/** What the petitioner was told and when (Ley 1755; CPACA art. 69 for a publication). */
async function noticesOf(deps: ReadDeps, record: CaseRecord): Promise<NoticeRecord[]> {
  if (!deps.notices) return [];
  const marks = await deps.notices.eventMarks(record.radicado);
  return noticeRecords(marks, { closures: record.clockSettings.closures ?? [] });
}

/** The day the answer's notice counts as given ("notified" in the reports), or null before. */
function answerNotifiedOn(notices: readonly NoticeRecord[]): string | null {
  return notices.filter((n) => n.kind === 'answered').at(-1)?.notifiedOn ?? null;
}

export async function getPublicCase(deps: ReadDeps, record: CaseRecord) {
  const [entity, events, notices] = await Promise.all([
    deps.entities.get(record.entityId),
    deps.cases.events(record.radicado),
    noticesOf(deps, record),
  ]);
  const status = clockNow(record, entity, deps.clock.now());
  const explanation = computeClock(clockInput(record)).trace;
  return {
    ...publicView(record, status, explanation),
    answer: record.answer
      ? {
          text: record.answer.text,
          outcome: record.answer.outcome,
          answeredAt: record.answer.at,
          ...(record.answer.legalReserve !== undefined ? { legalReserve: record.answer.legalReserve } : {}),
          ...(record.answer.legalGround !== undefined ? { legalGround: record.answer.legalGround } : {}),
          ...(record.answer.withheld !== undefined ? { withheld: record.answer.withheld } : {}),
          ...(record.answer.basis !== undefined ? { basis: record.answer.basis } : {}),
          ...(record.answer.reference !== undefined ? { reference: record.answer.reference } : {}),
          documents: record.answer.documents ?? [],
          notifiedOn: answerNotifiedOn(notices),
        }
      : null,
    notices,
    documents: record.documents ?? [],
    pendingRequest: pendingRequest(record, events),
    insistenceBy:
      record.answer?.legalReserve !== undefined && record.answer.outcome !== 'granted'
        ? insistenceBy(lifecycleOf(lifecycleSeedOf(record)))
        : null,
    timeline: petitionerTimeline(events),
  };
}

/** Everything an officer of the entity sees of a case: its data, its dates, what they may do now. */
export function officerView(c: CaseRecord, entity: Entity | undefined, now: Date, actor: Actor) {
  const status = clockNow(c, entity, now);
  const explanation = computeClock(clockInput(c)).trace;
  return {
    ...publicView(c, status, explanation),
    subject: c.subject,
    description: c.description,
    category: c.category ?? null,
    channel: c.channel,
    anonymous: c.anonymous,
    petitioner: c.petitioner ?? null,
    priority: c.priority,
    officer: c.officer ?? null,
    forwardBy: c.forwardBy,
    completionRequestBy: c.completionRequestBy,
    legendBy: c.legendBy ?? null,
    legendAt: c.legendAt ?? null,
    legalDue: c.legalDue ?? c.dueDate,
    petitionerRespondBy: c.petitionerRespondBy ?? null,
    extendedUntil: c.extendedUntil ?? null,
    clockEvents: c.clockEvents ?? [],
    forwardSuggested: c.forwardSuggested ?? null,
    completionSuggested: c.completionSuggested ?? null,
    forwardedTo: c.forwardedTo ?? null,
    forwardedFrom: c.forwardedFrom ?? null,
    answer: c.answer ?? null,
    documents: c.documents ?? [],
    withdrawal: c.withdrawal ?? null,
    court: c.court ?? null,
    verbal: c.verbal ?? null,
    closedAt: c.closedAt ?? null,
    updatedAt: c.updatedAt ?? c.receivedAt,
    version: c.version,
    allowedActions: allowedActions(actor, lifecycleOf(lifecycleSeedOf(c))),
  };
}
export type OfficerCaseView = ReturnType<typeof officerView>;

export async function getOfficerCase(deps: ReadDeps, actor: Actor, record: CaseRecord) {
  const [entity, notices] = await Promise.all([deps.entities.get(record.entityId), noticesOf(deps, record)]);
  const view = officerView(record, entity, deps.clock.now(), actor);
  return {
    ...view,
    answer: view.answer && { ...view.answer, notifiedOn: answerNotifiedOn(notices) },
    notices,
  };
}

/** The case's audit trail as officers read it. */
export async function caseHistory(deps: ReadDeps, record: CaseRecord) {
  const events = await deps.cases.events(record.radicado);
  return {
    radicado: record.radicado,
    items: events.map((e) => ({
      seq: e.seq,
      type: e.type,
      at: e.at,
      actor: e.actor,
      data: e.data,
      prevHash: e.prevHash,
      hash: e.hash,
    })),
  };
}

/**
 * An office's open cases, for those who work it: officers their own offices, supervisors and
 * admins any office of their entity. `withdrawalCandidates`: only suspended cases whose
 * petitioner's period lapsed (art. 17).
 */
/** Who may read an office's inbox (and its analogous groups): its entity, with the office. */
export async function inboxEntity(
  deps: Pick<ReadDeps, 'entities'>,
  actor: Actor,
  office: string,
): Promise<Entity> {
  requireDuty(actor, 'caseWork');
  if (!canActOnOffice(actor, office)) {
    throw new UseCaseError('forbidden', {
      es: 'No puede consultar la bandeja de esta dependencia: cada funcionario consulta solo las de sus dependencias',
      en: 'you may not read this office inbox: officers read their own offices only',
    });
  }
  const entityId = actor.entityId;
  const entity = await deps.entities.get(entityId);
  if (!entity?.offices.some((o) => o.id === office)) {
    throw invalid(
      'office',
      'not_found',
      `${entityId} no tiene la dependencia ${office}: elija una de las dependencias de su entidad`,
      'is not an office of your entity',
      'not_found',
    );
  }
  return entity;
}

export async function listInbox(
  deps: ReadDeps,
  actor: Actor,
  office: string,
  page: InboxQuery & { semaforo?: readonly Semaforo[]; withdrawalCandidates?: boolean },
) {
  const entity = await inboxEntity(deps, actor, office);
  const entityId = entity.id;
  const { semaforo, withdrawalCandidates: _w, ...query } = page;
  const result = await paged(
    deps.cases.listInbox(
      entityId,
      office,
      page.withdrawalCandidates
        ? { ...query, statuses: ['awaiting_completion', 'awaiting_clarification'] }
        : query,
    ),
  );
  const now = deps.clock.now();
  const wanted = semaforo?.length ? new Set<string>(semaforo) : undefined;
  const { withdrawalCandidates } = page;
  return {
    items: result.items.flatMap((c) => {
      const status = clockNow(c, entity, now);
      // The semáforo is today's reading, not stored: it filters the page read.
      if (wanted && !wanted.has(status.semaforo)) return [];
      // Art. 17: the petitioner's period lapsed; the office may declare the withdrawal (a reasoned act).
      const withdrawalCandidate =
        c.petitionerRespondBy !== undefined &&
        c.petitionerRespondBy !== null &&
        c.petitionerRespondBy < status.on;
      if (withdrawalCandidates && !withdrawalCandidate) return [];
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
        office: c.office ?? office,
        officer: c.officer ?? null,
        petitionerRespondBy: c.petitionerRespondBy ?? null,
        withdrawalCandidate,
        forwardSuggested: c.forwardSuggested ?? null,
        completionSuggested: c.completionSuggested ?? null,
        forwardBy: c.forwardBy,
        completionRequestBy: c.completionRequestBy,
      };
    }),
    ...(result.cursor ? { cursor: result.cursor } : {}),
  };
}

export async function listPublicEntities(deps: Pick<ReadDeps, 'entities'>) {
  const entities = await deps.entities.list();
  return { items: entities.map(publicEntity) };
}

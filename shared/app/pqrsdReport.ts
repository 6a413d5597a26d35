/**
 * The PQRSD report of an entity or of the country for a period (issue 15; Decreto 1081 de 2015
 * art. 2.1.1.6.2, Ley 1712 art. 11 lit. h): read from the counters the stream keeps
 * (reportCount.ts), O(months × shards), never from the cases. Pending cases past their due date
 * are late as of today, counted on the entity's calendar (its closures), the national one for the
 * country.
 */
import { type Actor, belongsTo } from '#domain/actor.ts';
import { bogotaDay } from '#domain/clock/dates.ts';
import { businessDaysBetween } from '#domain/clock/index.ts';
import type { Entity } from '#domain/entity.ts';
import { type InternalReport, internalReport } from '#domain/transparency/internal.ts';
import { type Period, PeriodError, parsePeriod } from '#domain/transparency/periods.ts';
import type { RegisterEntry } from '#domain/transparency/register.ts';
import { buildReport, type PqrsdReport } from '#domain/transparency/report.ts';
import type { Clock, EntityStore, Page } from '#ports/index.ts';
import type { ReportCounters, ReportScope } from '#ports/reports.ts';
import { requireDuty } from './access.ts';
import { paged, refusal, UseCaseError } from './errors.ts';

export interface PqrsdReportDeps {
  counters: Pick<ReportCounters, 'cells'>;
  entities: Pick<EntityStore, 'get'>;
  clock: Clock;
  /** Breakdown cells under k people are suppressed: the participation setting (DISCLOSURE_K). */
  disclosureK?: number;
}

export interface PeriodQuery {
  period?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

/** The query itself, or the current year (Bogotá) when it names no period: for pages and metadata. */
export function orThisYear(query: PeriodQuery, clock: Clock): PeriodQuery {
  const asked = query.period ?? query.from ?? query.to;
  return asked === undefined ? { period: bogotaDay(clock.now()).slice(0, 4) } : query;
}

/** The period a query names; a 400 naming the field otherwise. */
export function periodOf(query: PeriodQuery): Period {
  try {
    return parsePeriod(query);
  } catch (error) {
    if (error instanceof PeriodError) throw refusal([error.issue], 'bad_request');
    throw error;
  }
}

const noEntity = (id: string) =>
  new UseCaseError('not_found', { es: `No existe la entidad ${id}`, en: `no entity ${id}` });

/** The entity, or a 404. */
export async function entityOf(deps: { entities: Pick<EntityStore, 'get'> }, id: string): Promise<Entity> {
  const entity = await deps.entities.get(id);
  if (entity === undefined) throw noEntity(id);
  return entity;
}

/** Business days past `due` up to `today` on the entity's calendar (0 when not past). */
const daysOver = (today: string, entity: Entity | undefined) => (due: string) =>
  due < today ? businessDaysBetween(due, today, entity?.closures ? { closures: entity.closures } : {}) : 0;

export async function pqrsdReport(
  deps: PqrsdReportDeps,
  scope: ReportScope,
  query: PeriodQuery,
): Promise<PqrsdReport> {
  const period = periodOf(query);
  const entity = scope === 'national' ? undefined : await entityOf(deps, scope.entityId);
  const cells = await deps.counters.cells(scope, period.months);
  const today = bogotaDay(deps.clock.now());
  return buildReport({
    period,
    cells,
    entityId: scope === 'national' ? null : scope.entityId,
    today,
    businessDaysOver: daysOver(today, entity),
    ...(deps.disclosureK !== undefined ? { k: deps.disclosureK } : {}),
  });
}

export interface RegisterDeps {
  counters: Pick<ReportCounters, 'register'>;
  entities: Pick<EntityStore, 'get'>;
}

/** A page of an entity's open-data register of a period (Ley 1712 art. 11 lit. h). */
export async function pqrsdRegister(
  deps: RegisterDeps,
  entityId: string,
  query: PeriodQuery & { limit: number; cursor?: string | undefined },
): Promise<{ period: Period; page: Page<RegisterEntry> }> {
  const period = periodOf(query);
  const [, page] = await Promise.all([
    entityOf(deps, entityId),
    paged(deps.counters.register(entityId, period.months, query)),
  ]);
  return { period, page };
}

/**
 * The entity's report to its management (Ley 1474 art. 76), for its supervisors, admins and office
 * of internal control: every register entry of the period read (pages of 1,000), tallied.
 */
export async function internalPqrsdReport(
  deps: RegisterDeps & { clock: Clock },
  actor: Actor,
  entityId: string,
  query: PeriodQuery,
): Promise<InternalReport> {
  requireDuty(actor, 'oversight');
  if (!belongsTo(actor, entityId)) throw noEntity(entityId);
  const entity = await entityOf(deps, entityId);
  const period = periodOf(query);
  const entries: RegisterEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.counters.register(entityId, period.months, { limit: 1000, cursor });
    entries.push(...page.items);
    cursor = page.cursor;
  } while (cursor !== undefined);
  const today = bogotaDay(deps.clock.now());
  return internalReport({ period, entityId, entries, today, businessDaysOver: daysOver(today, entity) });
}

/**
 * The PQRSD report of an entity or of the country for a period (issue 15; Decreto 1081 de 2015
 * art. 2.1.1.6.2, Ley 1712 art. 11 lit. h): read from the counters the stream keeps
 * (reportCount.ts), O(months × shards), never from the cases. Pending cases past their due date
 * are late as of today, counted on the entity's calendar (its closures), the national one for the
 * country.
 */
import { bogotaDay } from '#domain/clock/dates.ts';
import { businessDaysBetween } from '#domain/clock/index.ts';
import { PeriodError, parsePeriod } from '#domain/transparency/periods.ts';
import { buildReport, type PqrsdReport } from '#domain/transparency/report.ts';
import type { Clock, EntityStore } from '#ports/index.ts';
import type { ReportCounters, ReportScope } from '#ports/reports.ts';
import { refusal, UseCaseError } from './errors.ts';

export interface PqrsdReportDeps {
  counters: Pick<ReportCounters, 'cells'>;
  entities: Pick<EntityStore, 'get'>;
  clock: Clock;
}

export async function pqrsdReport(
  deps: PqrsdReportDeps,
  scope: ReportScope,
  query: { period?: string | undefined; from?: string | undefined; to?: string | undefined },
): Promise<PqrsdReport> {
  let period: ReturnType<typeof parsePeriod>;
  try {
    period = parsePeriod(query);
  } catch (error) {
    if (error instanceof PeriodError) throw refusal([error.issue], 'bad_request');
    throw error;
  }
  const entity = scope === 'national' ? undefined : await deps.entities.get(scope.entityId);
  if (scope !== 'national' && entity === undefined) {
    throw new UseCaseError('not_found', {
      es: `No existe la entidad ${scope.entityId}`,
      en: `no entity ${scope.entityId}`,
    });
  }
  const cells = await deps.counters.cells(scope, period.months);
  const calendar = entity?.closures ? { closures: entity.closures } : {};
  const today = bogotaDay(deps.clock.now());
  return buildReport({
    period,
    cells,
    entityId: scope === 'national' ? null : scope.entityId,
    today,
    businessDaysOver: (due) => (due < today ? businessDaysBetween(due, today, calendar) : 0),
  });
}

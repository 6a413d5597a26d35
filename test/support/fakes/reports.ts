/**
 * The PQRSD report's counters in memory (shared/ports/reports.ts): per case the version and cells
 * last counted; per scope (an entity, the country) the cells added; a change at or below the
 * counted version is left out, one with no delta writes nothing, as the DynamoDB store does.
 */
import { addCells, type Cells } from '#domain/transparency/contributions.ts';
import type { CountChange, CountedVersion, ReportCounters, ReportScope } from '#ports/reports.ts';

const scopeKey = (scope: ReportScope) => (scope === 'national' ? 'national' : scope.entityId);

export class InMemoryReportCounters implements ReportCounters {
  private readonly versions = new Map<string, CountedVersion>();
  private readonly scopes = new Map<string, Cells>();
  /** Changes written (cases whose counters moved), for tests. */
  writes = 0;

  async counted(radicados: readonly string[]): Promise<Map<string, CountedVersion>> {
    return new Map(
      radicados.flatMap((r) => {
        const v = this.versions.get(r);
        return v ? [[r, structuredClone(v)] as const] : [];
      }),
    );
  }

  async apply(changes: readonly CountChange[]): Promise<void> {
    for (const c of changes) {
      if (Object.keys(c.delta).length === 0) continue;
      if ((this.versions.get(c.radicado)?.version ?? -1) >= c.version) continue;
      this.versions.set(c.radicado, { version: c.version, cells: structuredClone(c.cells) });
      for (const scope of [c.entityId, 'national']) {
        this.scopes.set(scope, addCells(this.scopes.get(scope) ?? {}, c.delta));
      }
      this.writes++;
    }
  }

  async cells(scope: ReportScope, months: readonly string[]): Promise<Cells> {
    const wanted = new Set(months);
    return Object.fromEntries(
      Object.entries(this.scopes.get(scopeKey(scope)) ?? {}).filter(
        ([k, v]) => v !== 0 && wanted.has(k.slice(0, 7)),
      ),
    );
  }
}

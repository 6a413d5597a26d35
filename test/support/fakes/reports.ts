/**
 * The PQRSD report's counters in memory (shared/ports/reports.ts): per case the version and cells
 * last counted and its register entry; per scope (an entity, the country) the cells added; a change
 * at or below the counted version is left out, as the DynamoDB store does.
 */
import { addCells, type Cells } from '#domain/transparency/contributions.ts';
import type { RegisterEntry } from '#domain/transparency/register.ts';
import { InvalidCursorError, type Page } from '#ports/index.ts';
import type { CountChange, CountedVersion, ReportCounters, ReportScope } from '#ports/reports.ts';

const scopeKey = (scope: ReportScope) => (scope === 'national' ? 'national' : scope.entityId);

export class InMemoryReportCounters implements ReportCounters {
  private readonly versions = new Map<string, CountedVersion>();
  private readonly scopes = new Map<string, Cells>();
  private readonly notifiedOn = new Map<string, string>();
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
      if ((this.versions.get(c.radicado)?.version ?? -1) >= c.version) continue;
      this.versions.set(c.radicado, {
        version: c.version,
        cells: structuredClone(c.cells),
        entry: structuredClone(c.entry),
      });
      if (Object.keys(c.delta).length === 0) continue;
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

  async notified(radicado: string, day: string | null): Promise<void> {
    if (day === null) this.notifiedOn.delete(radicado);
    else this.notifiedOn.set(radicado, day);
  }

  async register(
    entityId: string,
    months: readonly string[],
    page: { limit: number; cursor?: string | undefined },
  ): Promise<Page<RegisterEntry>> {
    const all = [...this.versions.values()]
      .flatMap((v) => (v.entry ? [v.entry] : []))
      .filter((e) => e.row.entity === entityId && months.includes(e.row.received.slice(0, 7)))
      .sort((a, b) =>
        `${a.row.received.slice(0, 7)}${a.row.radicado}`.localeCompare(
          `${b.row.received.slice(0, 7)}${b.row.radicado}`,
        ),
      )
      .map((e) => {
        const day = this.notifiedOn.get(e.row.radicado);
        return { ...e, row: { ...e.row, notified: e.row.answered !== null && day ? day : null } };
      });
    const from = page.cursor === undefined ? 0 : Number(page.cursor);
    if (!Number.isInteger(from) || from < 0) throw new InvalidCursorError('not a cursor of this register');
    const items = all.slice(from, from + page.limit);
    return from + page.limit < all.length ? { items, cursor: String(from + page.limit) } : { items };
  }
}

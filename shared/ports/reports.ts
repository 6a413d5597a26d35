/**
 * The PQRSD report's counters (issue 15): what each case adds to its entity's report, kept from
 * the table stream exactly once, and the cells of a scope's months read back.
 */
import type { CaseRecord } from '#domain/case/case.ts';
import type { Cells, CountedCase } from '#domain/transparency/contributions.ts';

/** A case as the table stream shows it after a write (its new image). */
export type StreamCase = Pick<CaseRecord, 'radicado' | 'entityId' | 'version'> & CountedCase;

/** What the counters hold of one case: the version last counted and the cells it added then. */
export interface CountedVersion {
  readonly version: number;
  readonly cells: Readonly<Cells>;
}

/** One case's change to apply: its new version and cells, and the delta from what was counted. */
export interface CountChange {
  readonly radicado: string;
  readonly entityId: string;
  readonly version: number;
  readonly cells: Readonly<Cells>;
  /** cells − the cells counted before (nonzero only; may be empty). */
  readonly delta: Readonly<Cells>;
}

/** The scope of a report: an entity, or the whole country. */
export type ReportScope = { readonly entityId: string } | 'national';

export interface ReportCounters {
  /** What was counted of these cases (absent: never counted). */
  counted(radicados: readonly string[]): Promise<Map<string, CountedVersion>>;
  /**
   * Adds each change's delta to its entity's and the national counters, and records its version
   * and cells, atomically per case: a change whose case was counted at this version or a later
   * one is left out (a stream batch delivered again); one with no delta writes nothing (what was
   * counted is still right).
   */
  apply(changes: readonly CountChange[]): Promise<void>;
  /** The cells of a scope over these months (`YYYY-MM`), keys as contributions.ts makes them. */
  cells(scope: ReportScope, months: readonly string[]): Promise<Cells>;
}

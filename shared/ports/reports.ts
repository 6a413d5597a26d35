/**
 * The PQRSD report's counters (issue 15): what each case adds to its entity's report, kept from
 * the table stream exactly once, and the cells of a scope's months read back.
 */
import type { CaseRecord } from '#domain/case/case.ts';
import type { NoticeChannel } from '#domain/channels.ts';
import type { Cells, CountedCase } from '#domain/transparency/contributions.ts';
import type { RegisterEntry } from '#domain/transparency/register.ts';
import type { Page } from './index.ts';

/** A case as the table stream shows it after a write (its new image). */
export type StreamCase = Pick<CaseRecord, 'radicado' | 'entityId' | 'version' | 'office' | 'officer'> &
  CountedCase;

/** A case's answer notice mark as the stream shows it: once sent, the day it counts from is the register's. */
export interface StreamAnswerNotice {
  readonly radicado: string;
  readonly state: 'pending' | 'sending' | 'sent' | 'skipped';
  readonly at: string;
  readonly channel?: NoticeChannel | 'publication';
  readonly deliveredAt?: string;
  /** Pending again after a bounce or a refusal: the channels it failed on (none: never sent yet). */
  readonly failed?: boolean;
}

/** What the counters hold of one case: the version last counted and the cells it added then. */
export interface CountedVersion {
  readonly version: number;
  readonly cells: Readonly<Cells>;
  /** Its open-data register entry as last written (absent: counted before the register existed). */
  readonly entry?: RegisterEntry;
}

/** One case's change to apply: its new version and cells, and the delta from what was counted. */
export interface CountChange {
  readonly radicado: string;
  readonly entityId: string;
  readonly version: number;
  readonly cells: Readonly<Cells>;
  /** cells − the cells counted before (nonzero only; may be empty). */
  readonly delta: Readonly<Cells>;
  /** Its register entry now (the `notified` day is kept apart: countNotified). */
  readonly entry: RegisterEntry;
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
  /**
   * Records the day the petitioner counts as notified of a case's answer (the register's
   * `notified`), or null when they are not (the notice bounced back to pending, or was skipped).
   */
  notified(radicado: string, day: string | null): Promise<void>;
  /**
   * A page of an entity's register over these months (`YYYY-MM`, in order), by month of receipt
   * then radicado, `notified` filled in; InvalidCursorError for a cursor it did not give.
   */
  register(
    entityId: string,
    months: readonly string[],
    page: { limit: number; cursor?: string | undefined },
  ): Promise<Page<RegisterEntry>>;
}

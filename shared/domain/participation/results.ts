/**
 * A consultation's results from its counters (O(sections), never O(comments)): comments per section
 * and stance, dispositions, the share accepted, and the breakdowns by department and age band with
 * small cells suppressed. Pure.
 */
import { AGE_BANDS, DEPARTMENTS, departmentName } from '../demographics.ts';
import { counterNames, DISPOSITIONS, type DispositionValue, STANCES, type Stance } from './comment.ts';
import type { Consultation } from './consultation.ts';
import { type PublishedCell, suppressSmallCells } from './disclosure.ts';

export interface SectionResult {
  id: string;
  title: string;
  comments: number;
  stances: Record<Stance, number>;
  dispositions: Record<DispositionValue | 'pending', number>;
}

export interface Totals {
  comments: number;
  stances: Record<Stance, number>;
  dispositions: Record<DispositionValue | 'pending', number>;
  /** accepted / comments (0 when there are none), 4 decimals. */
  acceptedShare: number;
  /** (accepted + partially_accepted) / comments. */
  acceptedOrPartiallyShare: number;
}

export interface Results {
  consultationId: string;
  status: Consultation['status'];
  totals: Totals;
  sections: SectionResult[];
  breakdowns: { k: number; department: (PublishedCell & { name?: string })[]; ageBand: PublishedCell[] };
}

const share = (part: number, whole: number) =>
  whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 10_000;

function zeroes<T extends string>(names: readonly T[]): Record<T, number> {
  return Object.fromEntries(names.map((n) => [n, 0])) as Record<T, number>;
}

/** Comments with a disposition, from the counters. */
export function disposedCount(
  c: Pick<Consultation, 'sections'>,
  counters: Readonly<Record<string, number>>,
): number {
  let n = 0;
  for (const s of c.sections) {
    for (const stance of STANCES) {
      for (const d of DISPOSITIONS) n += counters[counterNames.disposed(s.id, stance, d)] ?? 0;
    }
  }
  return n;
}

export function buildResults(
  c: Consultation,
  counters: Readonly<Record<string, number>>,
  k: number,
): Results {
  const get = (name: string) => counters[name] ?? 0;
  const totals: Totals = {
    comments: 0,
    stances: zeroes(STANCES),
    dispositions: { ...zeroes(DISPOSITIONS), pending: 0 },
    acceptedShare: 0,
    acceptedOrPartiallyShare: 0,
  };
  const sections = c.sections.map((s): SectionResult => {
    const r: SectionResult = {
      id: s.id,
      title: s.title,
      comments: 0,
      stances: zeroes(STANCES),
      dispositions: { ...zeroes(DISPOSITIONS), pending: 0 },
    };
    for (const stance of STANCES) {
      const n = get(counterNames.comments(s.id, stance));
      r.stances[stance] = n;
      r.comments += n;
      let disposed = 0;
      for (const d of DISPOSITIONS) {
        const m = get(counterNames.disposed(s.id, stance, d));
        r.dispositions[d] += m;
        disposed += m;
      }
      r.dispositions.pending += n - disposed;
    }
    totals.comments += r.comments;
    for (const stance of STANCES) totals.stances[stance] += r.stances[stance];
    for (const d of [...DISPOSITIONS, 'pending'] as const) totals.dispositions[d] += r.dispositions[d];
    return r;
  });
  totals.acceptedShare = share(totals.dispositions.accepted, totals.comments);
  totals.acceptedOrPartiallyShare = share(
    totals.dispositions.accepted + totals.dispositions.partially_accepted,
    totals.comments,
  );
  const breakdown = (values: readonly string[], name: (v: string) => string) => {
    const cells = values.map((value) => ({ value, count: get(name(value)) }));
    const given = cells.reduce((n, cell) => n + cell.count, 0);
    return suppressSmallCells(
      [...cells, { value: 'not_given', count: Math.max(0, totals.comments - given) }],
      k,
    );
  };
  return {
    consultationId: c.id,
    status: c.status,
    totals,
    sections,
    breakdowns: {
      k,
      // Names beside the codes, as people read them (DANE's DIVIPOLA).
      department: breakdown(DEPARTMENTS, counterNames.department).map((cell) => {
        const name = departmentName(cell.value);
        return name === undefined ? cell : { ...cell, name };
      }),
      ageBand: breakdown(AGE_BANDS, counterNames.ageBand),
    },
  };
}

/** The same figures counted one comment at a time (the recount a test or an audit compares with). */
export function countComments(
  comments: Iterable<{
    sectionId: string;
    stance: Stance;
    department?: string | undefined;
    ageBand?: string | undefined;
    disposition?: { value: DispositionValue } | undefined;
  }>,
): Record<string, number> {
  const out: Record<string, number> = {};
  const inc = (name: string) => {
    out[name] = (out[name] ?? 0) + 1;
  };
  for (const c of comments) {
    inc(counterNames.comments(c.sectionId, c.stance));
    if (c.department) inc(counterNames.department(c.department));
    if (c.ageBand) inc(counterNames.ageBand(c.ageBand));
    if (c.disposition) inc(counterNames.disposed(c.sectionId, c.stance, c.disposition.value));
  }
  return out;
}

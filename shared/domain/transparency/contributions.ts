/**
 * What one case adds to its entity's PQRSD report counters (issue 15): a set of counter cells,
 * each an integer, computed from the case as stored — never from the event that changed it. The
 * stream processor adds `delta(old, new)` for each change of a case, so the counters always equal
 * the sum of `contributions` over the cases as they are now, whatever order or path the changes
 * took (a reclassification moves the case from one kind to another; a withdrawal continued ex
 * officio, Ley 1755 art. 18, takes itself back). Redeliveries are the adapter's to skip (by stream
 * sequence, as comments are counted: docs/adr/0004-counting-comments-from-stream.md). Pure.
 *
 * Attribution: every figure of a case goes to the Bogotá month of its receipt, the cohort the law's
 * report describes (Decreto 1081 de 2015 art. 2.1.1.6.2: the requests received in the period, how
 * many were forwarded, the time taken to answer each, how many were denied; Ley 1474 art. 76), so
 * that received = answered + forwarded + no competent authority + withdrawn + pending in every
 * period. Satisfaction ratings carry no radicado (satisfaction.ts) and go to the month rated.
 *
 * What depends on the moment of reading is not stored: a pending case is kept under its due date
 * (`pending|due|<date>`), and the report counts as late those whose due date has passed when read.
 *
 * Cell keys: `<YYYY-MM>|<figure>[|<dimension>|<value>]`, e.g. `2026-11|received|byKind|petition`,
 * `2026-11|answered|days|7`, `2026-11|forwarded|to|SUPERSALUD`. The entity is the counter's
 * partition, not part of the key: a national roll-up sums the same keys over entities. Cells are
 * O(dimensions) per month: kinds, channels, term classes, entities forwarded to, days (bounded
 * histograms), due dates of pending cases (about three months of days), legal grounds.
 */
import * as z from 'zod';
import type { CaseRecord } from '../case/case.ts';
import { PREFERENTIAL_GROUPS } from '../case/filing.ts';
import { clockInputOf } from '../case/lifecycle.ts';
import { isPending } from '../case/status.ts';
import { clockStatus } from '../clock/index.ts';
import { AGE_BANDS, DEPARTMENTS, GENDERS } from '../demographics.ts';
import { RATING_FIGURE } from '../satisfaction.ts';
import { histogramCells } from './histogram.ts';
import { bogotaMonth } from './periods.ts';

/** Counter cells: key → count (see the module's comment for the keys). */
export type Cells = Record<string, number>;

/** What counting reads of a stored case (its other attributes, free texts included, are ignored). */
export type CountedCase = Pick<
  CaseRecord,
  | 'kind'
  | 'channel'
  | 'termClass'
  | 'receivedAt'
  | 'status'
  | 'dueDate'
  | 'clockSettings'
  | 'clockEvents'
  | 'answer'
  | 'forwardedTo'
  | 'withdrawal'
  | 'deemedAccepted'
  | 'petitioner'
>;

/** The figures' names within a month (the report reads the same constants). */
export const FIGURE = {
  received: 'received|total',
  byKind: 'received|byKind',
  byChannel: 'received|byChannel',
  byTermClass: 'received|byTermClass',
  onTime: 'answered|onTime',
  late: 'answered|late',
  /** Histogram: business days of the term used when answered (suspended days excluded). */
  days: 'answered|days',
  /** Histogram: business days past the due date, of the late answers. */
  daysOver: 'answered|daysOver',
  pendingSuspended: 'pending|suspended',
  pendingDue: 'pending|due',
  extended: 'extended',
  forwarded: 'forwarded|total',
  forwardedLate: 'forwarded|late',
  forwardedTo: 'forwarded|to',
  noCompetentAuthority: 'noCompetentAuthority',
  completionRequested: 'completionRequested',
  withdrawnTacit: 'withdrawn|tacit',
  withdrawnExpress: 'withdrawn|express',
  deemedAccepted: 'deemedAccepted',
  deniedFull: 'denied|full',
  deniedPartial: 'denied|partial',
  deniedByGround: 'denied|byGround',
  byReference: 'answeredByReference',
  satisfaction: RATING_FIGURE,
} as const;

/**
 * The petitioner attributes reports break received cases down by, and the values each takes
 * (`not_given` besides: what an absent answer counts as, demographics.ts).
 */
export const BREAKDOWNS = {
  department: DEPARTMENTS,
  gender: GENDERS,
  ageBand: AGE_BANDS,
  preferential: PREFERENTIAL_GROUPS,
} as const;
export type Breakdown = keyof typeof BREAKDOWNS;
export const NOT_GIVEN = 'not_given';
export const breakdownFigure = (b: Breakdown) => `received|by|${b}`;

/**
 * The attributes as the petitioner gave them, read leniently: a case filed without one, or with a
 * value no longer on the list, counts as not given (never refused: it is only counted).
 */
const AttributesSchema = z.object({
  department: z.enum(DEPARTMENTS).optional().catch(undefined),
  gender: z.enum(GENDERS).optional().catch(undefined),
  ageBand: z.enum(AGE_BANDS).optional().catch(undefined),
  preferential: z.array(z.enum(PREFERENTIAL_GROUPS)).optional().catch(undefined),
});

function attributeValues(petitioner: unknown): Record<Breakdown, readonly string[]> {
  const a = AttributesSchema.safeParse(petitioner ?? {});
  const given = a.success ? a.data : {};
  const one = (v: string | undefined) => [v ?? NOT_GIVEN];
  const groups = [...new Set(given.preferential ?? [])];
  return {
    department: one(given.department),
    gender: one(given.gender),
    ageBand: one(given.ageBand),
    // A petitioner may belong to several groups (CPACA art. 5 num. 6): counted in each.
    preferential: groups.length > 0 ? groups : [NOT_GIVEN],
  };
}

/** Ley 1755 art. 14 num. 1 and Ley 1712: a request for documents or information (as lifecycle.ts reads it). */
function isInformationRequest(c: Pick<CountedCase, 'kind' | 'termClass'>): boolean {
  return c.kind === 'information_request' || c.termClass === 'information';
}

/** `18-a`, `19-paragrafo`: the literal of Ley 1712 art. 18 or 19 a denial rests on. */
export function groundKey(g: { article: string; literal: string }): string {
  return `${g.article}-${g.literal}`;
}

/**
 * Business days an answer given at `at` took, by the case's own clock: the term's days used
 * (suspended days excluded, Ley 1755 art. 17) with those past the due date, and the latter alone.
 */
export function answerDays(
  c: Pick<CountedCase, 'termClass' | 'receivedAt' | 'clockSettings' | 'clockEvents'>,
  at: string,
): { used: number; over: number } {
  const s = clockStatus(clockInputOf({ ...c, clockEvents: c.clockEvents ?? [] }), at);
  return { used: s.businessDaysUsed + s.businessDaysOverdue, over: s.businessDaysOverdue };
}

/**
 * The cells a case contributes as it stands (see the module's comment). Throws a ClockError only
 * for clock data the clock itself would refuse (never for a case it stored).
 */
export function contributions(c: CountedCase): Cells {
  const m = bogotaMonth(c.receivedAt);
  const cells: Cells = {};
  const add = (figure: string, n = 1) => {
    cells[`${m}|${figure}`] = (cells[`${m}|${figure}`] ?? 0) + n;
  };

  add(FIGURE.received);
  add(`${FIGURE.byKind}|${c.kind}`);
  add(`${FIGURE.byChannel}|${c.channel}`);
  add(`${FIGURE.byTermClass}|${c.termClass}`);
  for (const [b, values] of Object.entries(attributeValues(c.petitioner))) {
    for (const v of values) add(`${breakdownFigure(b as Breakdown)}|${v}`);
  }

  const events = c.clockEvents ?? [];
  if (events.some((e) => e.type === 'extended')) add(FIGURE.extended);
  if (events.some((e) => e.type === 'completion_requested')) add(FIGURE.completionRequested);
  if (c.deemedAccepted === true || c.answer?.deemedAccepted === true) add(FIGURE.deemedAccepted);

  if (c.answer) {
    const a = c.answer;
    const days = answerDays(c, a.at);
    add(a.late ? FIGURE.late : FIGURE.onTime);
    for (const [k, n] of Object.entries(histogramCells(FIGURE.days, days.used))) add(k, n);
    if (a.late) for (const [k, n] of Object.entries(histogramCells(FIGURE.daysOver, days.over))) add(k, n);
    if (a.basis === 'repeated') add(FIGURE.byReference);
    // Decreto 1081 art. 2.1.1.6.2 counts the information requests denied; Ley 1712 art. 28 and
    // Ley 1755 art. 25: a full or partial denial names its ground.
    if (isInformationRequest(c) && a.outcome !== 'granted') {
      add(a.outcome === 'denied' ? FIGURE.deniedFull : FIGURE.deniedPartial);
      if (a.legalGround) add(`${FIGURE.deniedByGround}|${groundKey(a.legalGround)}`);
    }
  } else if (c.forwardedTo) {
    add(FIGURE.forwarded);
    add(`${FIGURE.forwardedTo}|${c.forwardedTo.entityId}`);
    // Ley 1755 art. 21: within five days of receipt.
    if (c.forwardedTo.late) add(FIGURE.forwardedLate);
  } else if (c.status === 'no_competent_authority') {
    add(FIGURE.noCompetentAuthority);
  } else if (c.withdrawal) {
    add(c.withdrawal.kind === 'tacit' ? FIGURE.withdrawnTacit : FIGURE.withdrawnExpress);
  } else if (isPending(c.status)) {
    add(c.dueDate === null ? FIGURE.pendingSuspended : `${FIGURE.pendingDue}|${c.dueDate}`);
  }
  return cells;
}

/**
 * What a change of a case does to the counters: contributions(new) − contributions(old), nonzero
 * cells only (an INSERT has no old image, a REMOVE no new one; an unchanged case adds nothing).
 */
export function delta(before: CountedCase | undefined, after: CountedCase | undefined): Cells {
  return cellsDelta(before ? contributions(before) : {}, after ? contributions(after) : {});
}

/** `after − before`, nonzero cells only: what moves the counters from one set of cells to the other. */
export function cellsDelta(before: Readonly<Cells>, after: Readonly<Cells>): Cells {
  const out = addCells({}, after);
  for (const [k, v] of Object.entries(before)) out[k] = (out[k] ?? 0) - v;
  for (const [k, v] of Object.entries(out)) if (v === 0) delete out[k];
  return out;
}

/** Adds `cells` into `into` (cells absent from `into` start at 0). */
export function addCells(into: Cells, cells: Readonly<Cells>): Cells {
  for (const [k, v] of Object.entries(cells)) into[k] = (into[k] ?? 0) + v;
  return into;
}

/**
 * A consultation: a draft regulation (articles) or a set of questions published for citizens'
 * comments, its comment period and its life: draft → open → closed → answered → published. Pure.
 *
 * The comment period of a draft regulation (Decreto 1081/2015 art. 2.1.2.1.14, as modified by
 * Decreto 270/2017) runs at least 15 calendar days, the day of publication not counted, unless a
 * reason for a shorter one is stated (and shown publicly). Counted in Bogotá dates (UTC−5, no DST):
 * published on day D, the period must run through day D+15, so `closesAt` must be at or after
 * D+15 at 23:59 Bogotá. Publication is the later of `opensAt` and the moment it is opened: opening
 * late shortens the period, so the rule is checked again then.
 */
import * as z from 'zod';
import { bogotaDay } from '../clock/dates.ts';
import { ENTITY_ID } from '../entity.ts';
import { type FieldIssue, fieldIssue, type Phrase, refinement } from '../issues.ts';
import { plainText } from '../text.ts';
import { type Grouping, groupingPending } from './grouping.ts';

export const CONSULTATION_TYPES = ['draft_regulation', 'question'] as const;
export type ConsultationType = (typeof CONSULTATION_TYPES)[number];
export const CONSULTATION_STATUSES = ['draft', 'open', 'closed', 'answered', 'published'] as const;
export type ConsultationStatus = (typeof CONSULTATION_STATUSES)[number];

/** Minimum comment period of a draft regulation, calendar days, publication day not counted. */
export const MIN_DRAFT_REGULATION_DAYS = 15;
/** The article that sets it, cited the same way in both languages. */
export const MIN_PERIOD_CITE = 'Decreto 1081 de 2015, art. 2.1.2.1.14, modificado por el Decreto 270 de 2017';

export const MAX_SECTIONS = 100;
export const MAX_SECTION_BODY = 8000;
/** All section titles and bodies together (the item stays well under DynamoDB's 400 KB). */
export const MAX_SECTIONS_TEXT = 60_000;

const Instant = z.iso.datetime({ offset: true });

export const ConsultationInputSchema = z
  .strictObject({
    entityId: z.string().regex(ENTITY_ID),
    type: z.enum(CONSULTATION_TYPES),
    title: plainText(300),
    summary: plainText(4000),
    documentUrl: z
      .url({ protocol: /^https$/ })
      .max(2000)
      .optional(),
    sections: z
      .array(z.strictObject({ title: plainText(300), body: plainText(MAX_SECTION_BODY) }))
      .min(1)
      .max(MAX_SECTIONS),
    opensAt: Instant,
    closesAt: Instant,
    shortPeriodReason: plainText(2000).optional(),
  })
  .superRefine((c, ctx) => {
    const size = c.sections.reduce((n, s) => n + s.title.length + s.body.length, 0);
    if (size > MAX_SECTIONS_TEXT) {
      ctx.addIssue({
        code: 'custom',
        path: ['sections'],
        ...refinement(
          'too_long',
          `admite como máximo ${MAX_SECTIONS_TEXT} caracteres de títulos y textos en total: acórtelos`,
          `must have at most ${MAX_SECTIONS_TEXT} characters of titles and bodies in all`,
        ),
      });
    }
    if (Date.parse(c.closesAt) <= Date.parse(c.opensAt)) {
      ctx.addIssue({
        code: 'custom',
        path: ['closesAt'],
        ...refinement('too_early', 'debe ser posterior a opensAt', 'must be after opensAt'),
      });
    }
  });
export type ConsultationInput = z.output<typeof ConsultationInputSchema>;

export interface Section {
  id: string;
  title: string;
  body: string;
}

export interface Consultation {
  id: string;
  entityId: string;
  type: ConsultationType;
  title: string;
  summary: string;
  documentUrl?: string;
  sections: Section[];
  opensAt: string;
  closesAt: string;
  shortPeriodReason?: string;
  status: ConsultationStatus;
  createdAt: string;
  /** The communicator's subject (opaque, no personal data). */
  createdBy: string;
  openedAt?: string;
  closedAt?: string;
  answeredAt?: string;
  publishedAt?: string;
  /** Its campaign groups' computation, from the close on (grouping.ts). */
  grouping?: Grouping;
  /** Optimistic concurrency: every change writes version + 1 on the condition of version. */
  version: number;
}

function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The earliest `closesAt` a draft regulation published at `publishedAt` may have. */
export function earliestClose(publishedAt: string | Date): string {
  return `${addDays(bogotaDay(publishedAt), MIN_DRAFT_REGULATION_DAYS)}T23:59:00-05:00`;
}

/** Full calendar days of comment period: publication day not counted, the closing day counted if it runs to 23:59. */
export function periodDays(publishedAt: string | Date, closesAt: string): number {
  const start = Date.parse(`${bogotaDay(publishedAt)}T00:00:00Z`);
  const closeDay = bogotaDay(closesAt);
  const end = Date.parse(`${closeDay}T00:00:00Z`);
  const days = Math.round((end - start) / 86_400_000);
  // A period closing on the day it is published (a short question) has no full day: 0, not -1.
  return Math.max(0, Date.parse(closesAt) >= Date.parse(`${closeDay}T23:59:00-05:00`) ? days : days - 1);
}

/**
 * The comment-period rule for a consultation published at `publishedAt`: undefined when it holds,
 * else the issue naming the rule and the earliest closing allowed.
 */
export function periodIssue(
  c: Pick<ConsultationInput, 'type' | 'closesAt' | 'shortPeriodReason'>,
  publishedAt: string | Date,
): FieldIssue | undefined {
  if (c.type !== 'draft_regulation' || c.shortPeriodReason !== undefined) return undefined;
  const earliest = earliestClose(publishedAt);
  if (Date.parse(c.closesAt) >= Date.parse(earliest)) return undefined;
  return fieldIssue(
    'closesAt',
    'too_early',
    `un proyecto de regulación se publica para comentarios durante al menos ${MIN_DRAFT_REGULATION_DAYS} días calendario, sin contar el día de publicación (${MIN_PERIOD_CITE}): cierre el ${earliest} o después, o indique shortPeriodReason`,
    `a draft regulation needs at least ${MIN_DRAFT_REGULATION_DAYS} calendar days of comments, publication day not counted (${MIN_PERIOD_CITE}): close at or after ${earliest}, or give shortPeriodReason`,
  );
}

/** A new consultation in draft, sections numbered s1, s2, … in order. */
export function newConsultation(
  input: ConsultationInput,
  id: string,
  createdBy: string,
  now: Date,
): Consultation {
  return {
    id,
    entityId: input.entityId,
    type: input.type,
    title: input.title,
    summary: input.summary,
    ...(input.documentUrl !== undefined ? { documentUrl: input.documentUrl } : {}),
    sections: input.sections.map((s, i) => ({ id: `s${i + 1}`, title: s.title, body: s.body })),
    opensAt: input.opensAt,
    closesAt: input.closesAt,
    ...(input.shortPeriodReason !== undefined ? { shortPeriodReason: input.shortPeriodReason } : {}),
    status: 'draft',
    createdAt: now.toISOString(),
    createdBy,
    version: 1,
  };
}

export const CONSULTATION_ACTIONS = ['open', 'close', 'answer', 'publish'] as const;
export type ConsultationAction = (typeof CONSULTATION_ACTIONS)[number];

/**
 * What the state machine needs to know besides the consultation: how many comments have a
 * disposition (exact: counted in the dispositions' own transactions).
 */
export interface ActionFacts {
  disposed: number;
}

/** A refusal: `code` is what the use case answers (409 or 422), `issue` the field at fault and why. */
export type Transition =
  | { ok: true; next: Consultation }
  | {
      ok: false;
      code: 'conflict' | 'invalid';
      issue: FieldIssue;
      /** The refusal passes by itself once the schedule has tallied the comments: retry later. */
      tallying?: true;
    };

const FROM: Record<ConsultationAction, ConsultationStatus> = {
  open: 'draft',
  close: 'open',
  answer: 'closed',
  publish: 'answered',
};

/**
 * Why the comments cannot be answered as a whole yet: the comments stored are known exactly once
 * tallied (grouping.ts; a late one makes the tally pending again; the stream's counters lag behind
 * the writes), and each needs its disposition.
 */
function undisposedIssue(c: Consultation, facts: ActionFacts): FieldIssue | undefined {
  if (c.grouping?.state !== 'done') {
    return fieldIssue(
      'action',
      'conflict',
      'los comentarios recibidos aún se están contando: reintente en unos minutos',
      'the comments received are still being counted: retry in a few minutes',
    );
  }
  const undisposed = (c.grouping.comments ?? 0) - facts.disposed;
  if (undisposed <= 0) return undefined;
  return fieldIssue(
    'action',
    'conflict',
    `${undisposed === 1 ? 'un comentario aún no tiene' : `${undisposed} comentarios aún no tienen`} respuesta (disposición): respóndalos antes`,
    `${undisposed} comment(s) still have no disposition`,
  );
}

const tallying = (c: Consultation): { tallying?: true } =>
  c.grouping?.state === 'done' ? {} : { tallying: true };

/**
 * The consultation as it stands at `now`: an open one whose `closesAt` has passed is closed (at
 * `closesAt`) in every read and action, whether or not the schedule has recorded the close yet;
 * the schedule's run then only tallies the campaign groups (Decreto 1081/2015 art. 2.1.2.1.14:
 * the period ends when it says).
 */
export function consultationAt<C extends Consultation>(c: C, now: Date): C {
  if (c.status !== 'open' || Date.parse(c.closesAt) > now.getTime()) return c;
  return { ...c, status: 'closed', closedAt: c.closesAt, grouping: groupingPending(c.grouping) };
}

/**
 * The consultation after an action, or why not. `open` publishes a draft (the period rule is
 * checked against the actual publication time); `close` is the scheduler's, at or after closesAt;
 * `answer` needs a disposition on every comment; `publish` publishes the global report and checks
 * the dispositions again (a comment accepted in time may be written after the answer).
 */
export function applyAction(
  stored: Consultation,
  action: ConsultationAction,
  now: Date,
  facts: ActionFacts,
): Transition {
  // The schedule records the close itself; every other action sees a past closesAt as closed.
  const c = action === 'close' ? stored : consultationAt(stored, now);
  if (c.status !== FROM[action]) {
    return {
      ok: false,
      code: 'conflict',
      issue: fieldIssue(
        'action',
        'not_allowed',
        `${action} no se admite en una consulta en estado ${c.status} (solo en una en estado ${FROM[action]})`,
        `cannot ${action} a consultation that is ${c.status} (only one that is ${FROM[action]})`,
      ),
    };
  }
  const at = now.toISOString();
  const base = { ...c, version: c.version + 1 };
  switch (action) {
    case 'open': {
      if (Date.parse(c.closesAt) <= now.getTime()) {
        return {
          ok: false,
          code: 'invalid',
          issue: fieldIssue(
            'closesAt',
            'too_late',
            'ya pasó: fije un cierre futuro antes de abrirla',
            'has already passed',
          ),
        };
      }
      const publishedAt = Date.parse(c.opensAt) > now.getTime() ? c.opensAt : at;
      const issue = periodIssue(c, publishedAt);
      if (issue) return { ok: false, code: 'invalid', issue };
      return { ok: true, next: { ...base, status: 'open', openedAt: at } };
    }
    case 'close':
      if (Date.parse(c.closesAt) > now.getTime()) {
        return {
          ok: false,
          code: 'conflict',
          issue: fieldIssue(
            'action',
            'too_early',
            `la consulta cierra el ${c.closesAt}`,
            `closes at ${c.closesAt}`,
          ),
        };
      }
      return {
        ok: true,
        next: { ...base, status: 'closed', closedAt: at, grouping: groupingPending(c.grouping) },
      };
    case 'answer': {
      const issue = undisposedIssue(c, facts);
      if (issue) return { ok: false, code: 'conflict', issue, ...tallying(c) };
      return { ok: true, next: { ...base, status: 'answered', answeredAt: at } };
    }
    case 'publish': {
      // Again: a comment accepted in time may have been written since the answer.
      const issue = undisposedIssue(c, facts);
      if (issue) return { ok: false, code: 'conflict', issue, ...tallying(c) };
      return { ok: true, next: { ...base, status: 'published', publishedAt: at } };
    }
  }
}

/** Whether comments are taken now: open, and between opensAt (inclusive) and closesAt (exclusive). */
export function commentWindow(
  c: Pick<Consultation, 'status' | 'opensAt' | 'closesAt'>,
  now: Date,
): { open: true } | { open: false; message: Phrase } {
  if (c.status !== 'open') {
    return {
      open: false,
      message: {
        es: `La consulta está en estado ${c.status}: no recibe comentarios`,
        en: `the consultation is ${c.status}: no comments`,
      },
    };
  }
  if (now.getTime() < Date.parse(c.opensAt)) {
    return {
      open: false,
      message: {
        es: `La consulta recibe comentarios desde ${c.opensAt}`,
        en: `comments open at ${c.opensAt}`,
      },
    };
  }
  if (now.getTime() >= Date.parse(c.closesAt)) {
    return {
      open: false,
      message: {
        es: `El plazo para comentar cerró en ${c.closesAt}`,
        en: `comments closed at ${c.closesAt}`,
      },
    };
  }
  return { open: true };
}

/** When the comment period began: opensAt, or the moment it was opened if that was later. */
export function publishedAtOf(c: Pick<Consultation, 'opensAt' | 'openedAt'>): string {
  return c.openedAt !== undefined && Date.parse(c.openedAt) > Date.parse(c.opensAt) ? c.openedAt : c.opensAt;
}

/** What anyone may see of a consultation (never a draft: the caller checks). */
export function publicConsultation(c: Consultation) {
  return {
    id: c.id,
    entityId: c.entityId,
    type: c.type,
    title: c.title,
    summary: c.summary,
    documentUrl: c.documentUrl ?? null,
    sections: c.sections,
    opensAt: c.opensAt,
    closesAt: c.closesAt,
    periodDays: periodDays(publishedAtOf(c), c.closesAt),
    shortPeriodReason: c.shortPeriodReason ?? null,
    status: c.status,
    publishedAt: c.publishedAt ?? null,
  };
}

/** The communicator's view: the public one plus the workflow dates and version. */
export function officerConsultation(c: Consultation) {
  return {
    ...publicConsultation(c),
    createdAt: c.createdAt,
    openedAt: c.openedAt ?? null,
    closedAt: c.closedAt ?? null,
    answeredAt: c.answeredAt ?? null,
    version: c.version,
  };
}

/**
 * The global report (informe global de observaciones): every comment with its disposition, without
 * who made it, and the totals — as JSON rows, as CSV (UTF-8, RFC 4180, open-data style, with its
 * data dictionary); the readable page is shared/http/pages/consultationPages.ts. Pure.
 */

import { bogotaDay } from '../clock/dates.ts';
import { csvLine } from '../csv.ts';
import { type DispositionValue, redactPersonalData, type Stance, type StoredComment } from './comment.ts';

export interface ReportRow {
  reference: string;
  sectionId: string;
  sectionTitle: string;
  stance: Stance;
  /** As typed, personal data (e-mails, long numbers) redacted; plain text, never markup. */
  text: string;
  receivedOn: string;
  group: string;
  groupSize: number;
  disposition: DispositionValue | null;
  reasons: string | null;
}

/** The columns of the CSV, in order, with what each holds (the data dictionary). */
export const DATA_DICTIONARY: readonly { column: keyof ReportRow; type: string; description: string }[] = [
  {
    column: 'reference',
    type: 'text',
    description: 'Public reference number of the comment (given when it was sent)',
  },
  { column: 'sectionId', type: 'text', description: 'Section (article or question) commented: s1, s2, …' },
  { column: 'sectionTitle', type: 'text', description: 'Title of that section' },
  { column: 'stance', type: 'text', description: 'support, oppose or observation' },
  {
    column: 'text',
    type: 'text',
    description:
      'The comment as sent, as plain text; e-mail addresses and numbers of 7+ digits replaced by "[dato personal retirado]"',
  },
  { column: 'receivedOn', type: 'date (YYYY-MM-DD, Bogotá)', description: 'Day the comment was received' },
  {
    column: 'group',
    type: 'text',
    description:
      'Campaign group: comments on the same section with the same stance and the same words (case, accents, punctuation and numbers aside) share it',
  },
  { column: 'groupSize', type: 'integer', description: 'Number of comments in that group' },
  {
    column: 'disposition',
    type: 'text',
    description: "The entity's answer: accepted, partially_accepted or not_accepted (empty: none yet)",
  },
  { column: 'reasons', type: 'text', description: 'The reasons the entity gave for its disposition' },
];

export function reportRow(c: StoredComment, sectionTitle: string, groupSize: number): ReportRow {
  return {
    reference: c.reference,
    sectionId: c.sectionId,
    sectionTitle,
    stance: c.stance,
    text: redactPersonalData(c.text),
    receivedOn: bogotaDay(c.acceptedAt),
    group: c.groupKey,
    groupSize,
    disposition: c.disposition?.value ?? null,
    reasons: c.disposition?.reasons ?? null,
  };
}

export function csvHeader(): string {
  return csvLine(DATA_DICTIONARY.map((d) => d.column));
}

export function csvRows(rows: readonly ReportRow[]): string {
  return rows.map((r) => csvLine(DATA_DICTIONARY.map((d) => r[d.column]))).join('');
}

/** The data dictionary itself as CSV (column, type, description). */
export function dictionaryCsv(): string {
  return (
    csvLine(['column', 'type', 'description']) +
    DATA_DICTIONARY.map((d) => csvLine([d.column, d.type, d.description])).join('')
  );
}

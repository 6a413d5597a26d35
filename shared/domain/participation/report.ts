/**
 * The global report (informe global de observaciones): every comment with its disposition, without
 * who made it, and the totals — as JSON rows, as CSV (UTF-8, RFC 4180, open-data style, with its
 * data dictionary) and as a readable HTML page in which every character citizens typed is escaped.
 * Pure.
 */

import { bogotaDay } from '../clock/dates.ts';
import { csvLine } from '../csv.ts';
import { type DispositionValue, redactPersonalData, type Stance, type StoredComment } from './comment.ts';
import { type Consultation, publicConsultation } from './consultation.ts';
import type { Results } from './results.ts';

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

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text as HTML text or attribute value: nothing in it can become markup. */
export function escapeHtml(value: string | number | null): string {
  return value === null ? '' : String(value).replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);
}

const LABELS: Record<string, string> = {
  support: 'A favor',
  oppose: 'En contra',
  observation: 'Observación',
  accepted: 'Aceptada',
  partially_accepted: 'Aceptada parcialmente',
  not_accepted: 'No aceptada',
  pending: 'Sin respuesta',
};
const label = (v: string | null) => (v === null ? LABELS.pending! : (LABELS[v] ?? v));
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

/** The report as one readable HTML page (the summary, then this page of comments). */
export function reportHtml(input: {
  consultation: Consultation;
  results: Results;
  rows: readonly ReportRow[];
  /** Link to the next page of comments, if any (a relative URL). */
  next?: string;
}): string {
  const c = publicConsultation(input.consultation);
  const { totals, sections } = input.results;
  const e = escapeHtml;
  const sectionRows = sections
    .map(
      (s) =>
        `<tr><td>${e(s.id)}</td><td>${e(s.title)}</td><td>${s.comments}</td><td>${s.stances.support}</td><td>${s.stances.oppose}</td><td>${s.stances.observation}</td><td>${s.dispositions.accepted}</td><td>${s.dispositions.partially_accepted}</td><td>${s.dispositions.not_accepted}</td><td>${s.dispositions.pending}</td></tr>`,
    )
    .join('\n');
  const commentRows = input.rows
    .map(
      (r) =>
        `<tr><td>${e(r.reference)}</td><td>${e(r.sectionId)}</td><td>${e(label(r.stance))}</td><td class="t">${e(r.text)}</td><td>${e(r.receivedOn)}</td><td>${r.groupSize > 1 ? `${e(r.group)} (${r.groupSize})` : ''}</td><td>${e(label(r.disposition))}</td><td class="t">${e(r.reasons)}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="es">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Informe global — ${e(c.title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:80rem}table{border-collapse:collapse;width:100%;margin:1rem 0}th,td{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top;text-align:left}.t{white-space:pre-wrap;word-break:break-word}</style>
</head>
<body>
<h1>Informe global de observaciones</h1>
<h2>${e(c.title)}</h2>
<p>${e(c.summary)}</p>
<dl>
<dt>Entidad</dt><dd>${e(c.entityId)}</dd>
<dt>Consulta</dt><dd>${e(c.id)} (${e(c.type === 'draft_regulation' ? 'proyecto de regulación' : 'preguntas')})</dd>
<dt>Periodo de comentarios</dt><dd>${e(c.opensAt)} — ${e(c.closesAt)} (${c.periodDays} días calendario)</dd>
${c.shortPeriodReason !== null ? `<dt>Razón del plazo menor</dt><dd>${e(c.shortPeriodReason)}</dd>` : ''}
<dt>Publicado</dt><dd>${e(c.publishedAt)}</dd>
</dl>
<h3>Totales</h3>
<p>${totals.comments} comentarios: ${totals.stances.support} a favor, ${totals.stances.oppose} en contra, ${totals.stances.observation} observaciones.
Aceptados ${totals.dispositions.accepted} (${pct(totals.acceptedShare)}), aceptados parcialmente ${totals.dispositions.partially_accepted}, no aceptados ${totals.dispositions.not_accepted}, sin respuesta ${totals.dispositions.pending}.</p>
<table>
<thead><tr><th>Sección</th><th>Título</th><th>Comentarios</th><th>A favor</th><th>En contra</th><th>Observaciones</th><th>Aceptados</th><th>Parcialmente</th><th>No aceptados</th><th>Sin respuesta</th></tr></thead>
<tbody>
${sectionRows}
</tbody>
</table>
<h3>Comentarios y respuestas</h3>
<table>
<thead><tr><th>Referencia</th><th>Sección</th><th>Posición</th><th>Comentario</th><th>Recibido</th><th>Grupo (campaña)</th><th>Respuesta</th><th>Razones</th></tr></thead>
<tbody>
${commentRows}
</tbody>
</table>
${input.next !== undefined ? `<p><a href="${e(input.next)}" rel="next">Siguiente página</a></p>` : ''}
</body>
</html>
`;
}

/**
 * A consultation's public pages: its results while and after it runs, and the global report
 * (informe global de observaciones) with every comment and the entity's answer, a campaign shown
 * once with its size. Everything citizens or officers typed is escaped. Pure.
 */
import type { Phrase } from '#domain/issues.ts';
import type { DispositionValue, Stance } from '#domain/participation/comment.ts';
import { type Consultation, publicConsultation } from '#domain/participation/consultation.ts';
import type { ReportRow } from '#domain/participation/report.ts';
import type { Results } from '#domain/participation/results.ts';
import { AGE_BAND_LABELS, breakdownTable, DEPARTMENT_LABELS, withheldNote } from './breakdowns.ts';
import { barChart, COLORS, stackedBars } from './charts.ts';
import { type Locale, longDate, num, pct, type Words, words } from './format.ts';
import { type Cell, escapeHtml as e, page, raw, table } from './layout.ts';

const STANCE = (w: Words): Record<Stance, string> => ({
  support: w('A favor', 'In favour'),
  oppose: w('En contra', 'Against'),
  observation: w('Observación', 'Observation'),
});

/** Counts of comments by answer (plural), as charts and tables head them. */
const ANSWERS = (w: Words): Record<DispositionValue | 'pending', string> => ({
  accepted: w('Aceptados', 'Accepted'),
  partially_accepted: w('Aceptados en parte', 'Partly accepted'),
  not_accepted: w('No aceptados', 'Not accepted'),
  pending: w('Sin respuesta aún', 'No answer yet'),
});

/** One comment's answer. */
const ANSWER = (w: Words): Record<DispositionValue | 'pending', string> => ({
  accepted: w('Aceptado', 'Accepted'),
  partially_accepted: w('Aceptado en parte', 'Partly accepted'),
  not_accepted: w('No aceptado', 'Not accepted'),
  pending: w('Sin respuesta aún', 'No answer yet'),
});

const STATUS = (w: Words): Record<Consultation['status'], string> => ({
  draft: w('Borrador', 'Draft'),
  open: w('Abierta: recibe comentarios', 'Open for comments'),
  closed: w(
    'Cerrada: la entidad está respondiendo los comentarios',
    'Closed: the entity is answering the comments',
  ),
  answered: w(
    'Comentarios respondidos: el informe global se publicará pronto',
    'Comments answered: the global report will be published soon',
  ),
  published: w('Informe global publicado', 'Global report published'),
});

export interface ConsultationPageInput {
  consultation: Consultation;
  results: Results;
  /** The name of the entity that runs it (not its id). */
  entityName: string;
  locale: Locale;
}

/** Title, summary and the facts of the consultation: entity, kind, period, publication. */
function about(input: ConsultationPageInput, kicker: string, withStatus: boolean): string {
  const { locale } = input;
  const w = words(locale);
  const c = publicConsultation(input.consultation);
  // Values are markup (escaped here); a null one is left out.
  const facts: [label: string, html: string | null][] = [
    [w('Entidad', 'Entity'), e(input.entityName)],
    [
      w('Tipo', 'Kind'),
      c.type === 'draft_regulation'
        ? w('Proyecto de regulación', 'Draft regulation')
        : w('Preguntas a la ciudadanía', 'Questions to citizens'),
    ],
    [w('Estado', 'Status'), withStatus ? STATUS(w)[c.status] : null],
    [
      w('Periodo de comentarios', 'Comment period'),
      e(
        w(
          `del ${longDate(c.opensAt, locale)} al ${longDate(c.closesAt, locale)} (${num(c.periodDays, locale)} días calendario)`,
          `${longDate(c.opensAt, locale)} to ${longDate(c.closesAt, locale)} (${num(c.periodDays, locale)} calendar days)`,
        ),
      ),
    ],
    [
      w('Razón del plazo menor', 'Why the period is shorter'),
      c.shortPeriodReason === null ? null : `<span class="t">${e(c.shortPeriodReason)}</span>`,
    ],
    [
      w('Informe global publicado el', 'Global report published on'),
      c.publishedAt === null ? null : e(longDate(c.publishedAt, locale)),
    ],
    [
      w('Documento', 'Document'),
      c.documentUrl === null
        ? null
        : `<a href="${e(c.documentUrl)}">${w('Documento completo', 'Full document')}</a>`,
    ],
    [w('Referencia de la consulta', 'Consultation reference'), e(c.id)],
  ];
  return `<h1><span class="kicker">${kicker}</span> ${e(c.title)}</h1>
<p class="t">${e(c.summary)}</p>
<dl>
${facts.flatMap(([k, v]) => (v === null ? [] : [`<dt>${e(k)}</dt><dd>${v}</dd>`])).join('\n')}
</dl>`;
}

/** The totals in words, stances per section and the entity's answers, as charts with their tables. */
function figures(input: ConsultationPageInput): string {
  const { results, locale } = input;
  const { totals } = results;
  const w = words(locale);
  const n = (x: number) => num(x, locale);
  const stance = STANCE(w);
  const answers = ANSWERS(w);
  const answerKeys = ['accepted', 'partially_accepted', 'not_accepted', 'pending'] as const;
  const facts: [string, number][] = [
    [w('Comentarios', 'Comments'), totals.comments],
    [stance.support, totals.stances.support],
    [stance.oppose, totals.stances.oppose],
    [w('Observaciones', 'Observations'), totals.stances.observation],
    ...answerKeys.map((k): [string, number] => [answers[k], totals.dispositions[k]]),
  ];
  const shares = w(
    `Se aceptó el ${pct(totals.acceptedShare, locale)} de los comentarios, y total o parcialmente el ${pct(totals.acceptedOrPartiallyShare, locale)}.`,
    `${pct(totals.acceptedShare, locale)} of the comments were accepted, and ${pct(totals.acceptedOrPartiallyShare, locale)} fully or partly.`,
  );
  return `<h2>${w('Totales', 'Totals')}</h2>
<dl class="facts">
${facts.map(([k, v]) => `<dt>${e(k)}</dt><dd>${n(v)}</dd>`).join('\n')}
</dl>
<p>${e(shares)}</p>

<h2>${w('Posiciones por sección', 'Stances by section')}</h2>
${stackedBars({
  id: 'posiciones',
  title: w('Comentarios por sección y posición', 'Comments by section and stance'),
  caption: w(
    'Proporción de comentarios a favor, en contra y de observación en cada sección; a la derecha, cuántos hubo.',
    'Share of comments in favour, against and observations in each section; on the right, how many there were.',
  ),
  rowHead: w('Sección', 'Section'),
  series: [
    { key: 'support', label: stance.support, color: COLORS.good },
    { key: 'oppose', label: stance.oppose, color: COLORS.bad },
    { key: 'observation', label: stance.observation, color: COLORS.neutral },
  ],
  columns: results.sections.map((s) => ({ label: s.title, values: s.stances })),
  locale,
})}

<h2>${w('Respuestas de la entidad', 'The entity’s answers')}</h2>
${barChart({
  id: 'respuestas',
  title: w('Comentarios según la respuesta de la entidad', 'Comments by the entity’s answer'),
  caption: shares,
  rowHead: w('Respuesta', 'Answer'),
  valueHead: w('Comentarios', 'Comments'),
  rows: answerKeys.map((k) => ({ label: answers[k], value: totals.dispositions[k] })),
  locale,
})}
${table({
  caption: w('Respuestas por sección', 'Answers by section'),
  columns: [
    { label: w('Sección', 'Section') },
    { label: w('Comentarios', 'Comments'), type: 'number' },
    ...answerKeys.map((k) => ({ label: answers[k], type: 'number' as const })),
  ],
  rows: results.sections.map((s) => [s.title, n(s.comments), ...answerKeys.map((k) => n(s.dispositions[k]))]),
})}`;
}

/**
 * The rows of a page as shown: a comment alone, or the comments of one campaign that got the same
 * answer together (in the order each first appears), so a campaign's text is shown once.
 */
function campaigns(rows: readonly ReportRow[]): ReportRow[][] {
  const blocks: ReportRow[][] = [];
  const open = new Map<string, ReportRow[]>();
  for (const row of rows) {
    if (row.groupSize <= 1) {
      blocks.push([row]);
      continue;
    }
    const key = JSON.stringify([row.group, row.disposition, row.reasons]);
    const block = open.get(key);
    if (block) block.push(row);
    else {
      open.set(key, [row]);
      blocks.push(open.get(key)!);
    }
  }
  return blocks;
}

function commentsTable(rows: readonly ReportRow[], locale: Locale): string {
  const w = words(locale);
  const stance = STANCE(w);
  const answer = ANSWER(w);
  const body = campaigns(rows).map((block): Cell[] => {
    const first = block[0]!;
    const days = block.map((r) => r.receivedOn).sort();
    const [from, to] = [longDate(days[0]!, locale), longDate(days.at(-1)!, locale)];
    const campaign =
      first.groupSize > 1
        ? `<strong>${w(`Campaña: ${num(first.groupSize, locale)} comentarios iguales`, `Campaign: ${num(first.groupSize, locale)} identical comments`)}</strong>\n`
        : '';
    return [
      block.length === 1
        ? first.reference
        : raw(`<ul class="refs">${block.map((r) => `<li>${e(r.reference)}</li>`).join('')}</ul>`),
      first.sectionTitle,
      stance[first.stance],
      raw(campaign + e(first.text)),
      from === to ? from : w(`del ${from} al ${to}`, `${from} to ${to}`),
      answer[first.disposition ?? 'pending'],
      first.reasons ?? '',
    ];
  });
  return table({
    caption: w('Comentarios y respuestas', 'Comments and answers'),
    columns: [
      { label: w('Referencia', 'Reference') },
      { label: w('Sección', 'Section') },
      { label: w('Posición', 'Stance') },
      { label: w('Comentario', 'Comment'), type: 'text' },
      { label: w('Recibido', 'Received') },
      { label: w('Respuesta', 'Answer') },
      { label: w('Razones', 'Reasons'), type: 'text' },
    ],
    rows: body,
  });
}

/** The global report: the consultation, its figures, and this page of comments with their answers. */
export function consultationReportPage(
  input: ConsultationPageInput & {
    /** This page of comments, in the report's order. */
    rows: readonly ReportRow[];
    /** The next page of comments, if any (a relative URL). */
    next?: string;
  },
): string {
  const { locale } = input;
  const w = words(locale);
  const body = `${about(input, w('Informe global de observaciones', 'Global report on the comments'), false)}
${figures(input)}

<h2>${w('Comentarios y respuestas', 'Comments and answers')}</h2>
<p class="note">${w(
    'Se retiraron de los textos los correos electrónicos y los números de 7 o más dígitos. Los comentarios de una misma campaña (iguales en sección, posición y palabras, sin contar mayúsculas, tildes, puntuación ni números) que recibieron la misma respuesta se muestran una sola vez, con el texto del primero, cuántos son en total y sus referencias en esta página.',
    'E-mail addresses and numbers of 7 or more digits were removed from the texts. Comments of one campaign (same section, stance and words, case, accents, punctuation and numbers aside) that got the same answer are shown once, with the text of the first, how many there are in all, and their references on this page.',
  )}</p>
${input.rows.length === 0 ? `<p>${w('No hay comentarios que mostrar.', 'No comments to show.')}</p>` : commentsTable(input.rows, locale)}
${input.next === undefined ? '' : `<p><a href="${e(input.next)}" rel="next">${w('Siguiente página', 'Next page')}</a></p>`}`;
  return page({
    lang: locale,
    title: `${w('Informe global', 'Global report')} — ${input.consultation.title}`,
    body,
  });
}

/** The results while the consultation runs and after: status, figures, who commented, open data. */
export function consultationResultsPage(
  input: ConsultationPageInput & { links: { json: string; report?: string } },
): string {
  const { results, locale } = input;
  const w = words(locale);
  const breakdown = (
    caption: string,
    rowHead: string,
    cells: Results['breakdowns']['department'],
    labels: Readonly<Record<string, Phrase>>,
  ) => breakdownTable({ caption, rowHead, valueHead: w('Comentarios', 'Comments'), cells, labels, locale });
  const links: [href: string, text: string][] = [
    [input.links.json, w('Resultados en JSON', 'Results as JSON')],
  ];
  if (input.links.report !== undefined) {
    links.push([input.links.report, w('Informe global de observaciones', 'Global report on the comments')]);
  }
  const body = `${about(input, w('Resultados de la consulta', 'Consultation results'), true)}
${figures(input)}

<h2>${w('Quiénes comentaron', 'Who commented')}</h2>
<p class="note">${w('Datos que las personas dieron de forma voluntaria.', 'Data people chose to give.')} ${e(withheldNote(results.breakdowns.k, locale))}</p>
${breakdown(w('Por departamento', 'By department'), w('Departamento', 'Department'), results.breakdowns.department, DEPARTMENT_LABELS)}
${breakdown(w('Por edad', 'By age'), w('Edad', 'Age'), results.breakdowns.ageBand, AGE_BAND_LABELS)}

<h2>${w('Datos abiertos', 'Open data')}</h2>
<ul>
${links.map(([href, text]) => `<li><a href="${e(href)}">${e(text)}</a></li>`).join('\n')}
</ul>`;
  return page({
    lang: locale,
    title: `${w('Resultados', 'Results')} — ${input.consultation.title}`,
    body,
  });
}

/**
 * The PQRSD report of an entity, or of the country, for a period (transparency/report.ts) as a
 * page citizens read: the figures in words, charts with their tables, and links to the same data
 * as open data. Every text from the report is escaped. Pure.
 */
import type { Phrase } from '#domain/issues.ts';
import { HISTOGRAM_MAX } from '#domain/transparency/histogram.ts';
import type { PqrsdReport } from '#domain/transparency/report.ts';
import type { Channel, Kind, TermClass } from '#domain/vocabulary.ts';
import {
  AGE_BAND_LABELS,
  breakdownTable,
  DEPARTMENT_LABELS,
  GENDER_LABELS,
  PREFERENTIAL_LABELS,
  withheldNote,
} from './breakdowns.ts';
import { barChart, COLORS, stackedColumns } from './charts.ts';
import { type Locale, longDate, monthName, num, periodLabel, type Words, words } from './format.ts';
import { escapeHtml as e, page, table } from './layout.ts';

export const KIND_LABELS: Readonly<Record<Kind, Phrase>> = {
  petition: { es: 'Petición', en: 'Petition' },
  complaint: { es: 'Queja', en: 'Complaint' },
  claim: { es: 'Reclamo', en: 'Claim' },
  suggestion: { es: 'Sugerencia', en: 'Suggestion' },
  report: { es: 'Denuncia', en: 'Report of wrongdoing' },
  information_request: { es: 'Solicitud de información', en: 'Information request' },
  query: { es: 'Consulta', en: 'Query' },
};

export const CHANNEL_LABELS: Readonly<Record<Channel, Phrase>> = {
  web: { es: 'Formulario web', en: 'Web form' },
  portal: { es: 'Portal GOV.CO', en: 'GOV.CO portal' },
  email: { es: 'Correo electrónico', en: 'Email' },
  call_centre: { es: 'Centro de contacto', en: 'Contact centre' },
  in_person: { es: 'Presencial', en: 'In person' },
  phone: { es: 'Teléfono', en: 'Phone' },
  mail: { es: 'Correo postal', en: 'Post' },
  participation: { es: 'Propuesta ciudadana', en: "Citizens' proposal" },
};

export const TERM_CLASS_LABELS: Readonly<Record<TermClass, Phrase>> = {
  general: { es: 'Petición general', en: 'General petition' },
  information: { es: 'Petición de documentos e información', en: 'Request for documents and information' },
  query: { es: 'Consulta', en: 'Query' },
  between_authorities: { es: 'Petición entre autoridades', en: 'Request between authorities' },
  data_protection_query: {
    es: 'Consulta sobre datos personales (habeas data)',
    en: 'Personal data query (habeas data)',
  },
  data_protection_claim: {
    es: 'Reclamo sobre datos personales (habeas data)',
    en: 'Personal data claim (habeas data)',
  },
};

/** What each literal of Ley 1712 de 2014 arts. 18 (classified) and 19 (reserved) protects. */
const GROUNDS: Readonly<Record<string, Phrase>> = {
  '18-a': { es: 'intimidad', en: 'privacy' },
  '18-b': { es: 'vida, salud o seguridad', en: 'life, health or safety' },
  '18-c': {
    es: 'secretos comerciales, industriales y profesionales',
    en: 'commercial, industrial and professional secrets',
  },
  '19-a': { es: 'defensa y seguridad nacional', en: 'national defence and security' },
  '19-b': { es: 'seguridad pública', en: 'public safety' },
  '19-c': { es: 'relaciones internacionales', en: 'international relations' },
  '19-d': {
    es: 'prevención, investigación y persecución de delitos y faltas disciplinarias',
    en: 'prevention, investigation and prosecution of crimes and disciplinary offences',
  },
  '19-e': { es: 'debido proceso e igualdad de las partes', en: 'due process and equality of the parties' },
  '19-f': { es: 'administración efectiva de la justicia', en: 'effective administration of justice' },
  '19-g': { es: 'derechos de la infancia y la adolescencia', en: 'rights of children and adolescents' },
  '19-h': {
    es: 'estabilidad macroeconómica y financiera',
    en: 'macroeconomic and financial stability',
  },
  '19-i': { es: 'salud pública', en: 'public health' },
  '19-paragrafo': { es: 'proceso deliberativo', en: 'deliberative process' },
};

/** `18-a` → "Ley 1712 de 2014, art. 18, literal a (intimidad)"; an unknown key as given. */
export function groundLabel(key: string, locale: Locale): string {
  const m = /^(18|19)-([a-i]|paragrafo)$/.exec(key);
  if (!m) return key;
  const part = m[2] === 'paragrafo' ? 'parágrafo' : `literal ${m[2]}`;
  const what = GROUNDS[key]?.[locale];
  return `Ley 1712 de 2014, art. ${m[1]}, ${part}${what ? ` (${what})` : ''}`;
}

/** Upper bounds (business days, included) of the answer-time buckets; the last is open. */
const BUCKETS = [5, 10, 15, 20, 30, 60] as const;

/** The distribution of days to answer ("0" … "120", ">120") in the buckets 0–5 … 31–60, more than 60. */
function dayBuckets(distribution: Readonly<Record<string, number>>, w: Words) {
  const counts = new Array<number>(BUCKETS.length + 1).fill(0);
  for (const [key, n] of Object.entries(distribution)) {
    const i = BUCKETS.findIndex((b) => !key.startsWith('>') && Number(key) <= b);
    counts[i === -1 ? BUCKETS.length : i]! += n;
  }
  return counts.map((value, i) => {
    const [from, to] = [i === 0 ? 0 : BUCKETS[i - 1]! + 1, BUCKETS[i]];
    const label =
      to === undefined
        ? w(`Más de ${from - 1} días`, `More than ${from - 1} days`)
        : w(`${from} a ${to} días`, `${from} to ${to} days`);
    return { label, value };
  });
}

export interface PqrsdReportPageInput {
  report: PqrsdReport;
  /** null: the national roll-up. */
  entity: { id: string; name: string } | null;
  /** Names of the entities cases were forwarded to, by id. */
  entityNames: Readonly<Record<string, string>>;
  /** The same report as open data (relative or absolute URLs). */
  links: { json: string; csv: string; dictionary: string; register?: string };
  locale: Locale;
}

export function pqrsdReportPage(input: PqrsdReportPageInput): string {
  const { report: r, locale } = input;
  const w = words(locale);
  const n = (x: number) => num(x, locale);
  // Days are null when none were answered, or when the rank falls beyond the histogram's top.
  const days = (d: number | null) =>
    r.daysToAnswer.count === 0
      ? '—'
      : d === null
        ? w(`más de ${HISTOGRAM_MAX}`, `more than ${HISTOGRAM_MAX}`)
        : n(d);
  const labelled = (counts: Readonly<Record<string, number>>, labels: Readonly<Record<string, Phrase>>) =>
    Object.entries(counts).map(([code, value]) => ({ label: labels[code]?.[locale] ?? code, value }));

  const title =
    input.entity === null
      ? w('Informe nacional de PQRSD', 'National PQRSD report')
      : `${w('Informe de PQRSD', 'PQRSD report')} — ${input.entity.name}`;

  const facts: [string, string][] = [
    [w('Solicitudes recibidas', 'Requests received'), n(r.received.total)],
    [w('Respondidas a tiempo', 'Answered on time'), n(r.answered.onTime)],
    [w('Respondidas tarde', 'Answered late'), n(r.answered.late)],
    [w('Pendientes dentro del término', 'Pending, within the term'), n(r.pending.onTerm)],
    [w('Pendientes vencidas', 'Pending, past the due date'), n(r.pending.late)],
    [
      w('Pendientes suspendidas, a la espera del peticionario', 'Pending, suspended awaiting the petitioner'),
      n(r.pending.suspended),
    ],
    [
      w('Días hábiles para responder, promedio', 'Business days to answer, mean'),
      r.daysToAnswer.mean === null ? '—' : num(r.daysToAnswer.mean, locale, 1),
    ],
    [
      w('Días hábiles para responder, mediana', 'Business days to answer, median'),
      days(r.daysToAnswer.median),
    ],
    [
      w('Días hábiles para responder, percentil 90', 'Business days to answer, 90th percentile'),
      days(r.daysToAnswer.p90),
    ],
    [w('Con prórroga del término', 'Term extended'), n(r.extended)],
    [
      w('Trasladadas a la autoridad competente', 'Forwarded to the competent authority'),
      n(r.forwarded.total),
    ],
    [w('Trasladadas fuera del término legal', 'Forwarded after the legal term'), n(r.forwarded.late)],
    [w('Sin autoridad competente', 'No competent authority'), n(r.noCompetentAuthority)],
    [
      w('Con requerimiento para completarlas (Ley 1755, art. 17)', 'Asked to complete (Ley 1755, art. 17)'),
      n(r.completionRequested),
    ],
    [w('Archivadas por desistimiento tácito', 'Closed as tacitly withdrawn'), n(r.withdrawn.tacit)],
    [w('Retiradas por el peticionario', 'Withdrawn by the petitioner'), n(r.withdrawn.express)],
    [
      w(
        'Aceptadas por falta de respuesta a tiempo (silencio positivo)',
        'Deemed accepted for lack of a timely answer',
      ),
      n(r.deemedAccepted),
    ],
    [w('Solicitudes de información negadas', 'Information requests denied'), n(r.denied.full)],
    [
      w('Solicitudes de información negadas en parte', 'Information requests partly denied'),
      n(r.denied.partial),
    ],
    [
      w(
        'Respondidas remitiendo a una respuesta anterior (Ley 1755, art. 19)',
        'Answered by referring to an earlier answer (Ley 1755, art. 19)',
      ),
      n(r.answeredByReference),
    ],
    [w('Calificaciones de satisfacción', 'Satisfaction ratings'), n(r.satisfaction.count)],
    [
      w('Satisfacción promedio (de 1 a 5)', 'Mean satisfaction (1 to 5)'),
      r.satisfaction.mean === null ? '—' : num(r.satisfaction.mean, locale, 1),
    ],
  ];

  const months = Object.entries(r.months).map(([month, m]) => ({
    label: monthName(month, locale),
    short: monthName(month, locale, 'short'),
    values: {
      onTime: m.answeredOnTime,
      late: m.answeredLate,
      pending: m.pending,
      // Forwarded, withdrawn or with no competent authority: the rest of the month's received.
      other: m.received - m.answeredOnTime - m.answeredLate - m.pending,
    },
  }));

  const forwarded = Object.entries(r.forwarded.to)
    .map(([id, count]) => ({ name: input.entityNames[id] ?? id, count }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, 'es'));
  const grounds = Object.entries(r.denied.byGround).sort(([a], [b]) => a.localeCompare(b));
  const none = `<p>${w('Ninguna en este periodo.', 'None in this period.')}</p>`;

  const breakdown = (
    caption: string,
    rowHead: string,
    cells: PqrsdReport['breakdowns']['gender'],
    labels: Readonly<Record<string, Phrase>>,
  ) =>
    breakdownTable({
      caption,
      rowHead,
      valueHead: w('Solicitudes', 'Requests'),
      cells,
      labels,
      locale,
    });

  const links: [href: string, text: string][] = [
    [input.links.json, w('Este informe en JSON', 'This report as JSON')],
    [input.links.csv, w('Este informe en CSV', 'This report as CSV')],
    [input.links.dictionary, w('Diccionario de datos del CSV', 'Data dictionary of the CSV')],
  ];
  if (input.links.register !== undefined) {
    links.push([
      input.links.register,
      w('Registro de solicitudes: una fila por solicitud', 'Register: one row per request'),
    ]);
  }

  const body = `<h1>${e(title)}</h1>
<p>${w('Periodo', 'Period')}: ${e(periodLabel(r.period.label, locale))}. ${w('Datos al', 'Data as of')} ${e(longDate(r.asOf, locale))}.</p>
<p class="note">${w(
    'PQRSD: peticiones, quejas, reclamos, sugerencias y denuncias. Cada solicitud se cuenta en el mes en que se recibió; los plazos se cuentan en días hábiles, y una solicitud pendiente está vencida si su plazo terminó antes de la fecha de los datos.',
    'PQRSD: petitions, complaints, claims, suggestions and reports of wrongdoing. Each request counts in the month it was received; terms are counted in business days, and a pending request is late if its term ended before the date of the data.',
  )}</p>

<h2>${w('Resumen', 'Summary')}</h2>
<dl class="facts">
${facts.map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(v)}</dd>`).join('\n')}
</dl>
<p class="note">${w(
    'Mediana: la mitad de las solicitudes se respondió en ese número de días hábiles o menos. Percentil 90: nueve de cada diez se respondieron en ese número o menos.',
    'Median: half of the requests were answered within that many business days. 90th percentile: nine in ten were.',
  )}</p>

<h2>${w('Cómo van las solicitudes de cada mes', 'Where each month’s requests stand')}</h2>
${stackedColumns({
  id: 'meses',
  title: w('Solicitudes por mes de recepción', 'Requests by month received'),
  caption: w(
    'Cómo están hoy las solicitudes recibidas cada mes: respondidas a tiempo o tarde, pendientes, o cerradas sin respuesta de fondo (trasladadas a la entidad competente, retiradas o sin autoridad competente).',
    'Where the requests received each month stand today: answered on time or late, pending, or closed without an answer on the merits (forwarded to the competent entity, withdrawn, or with no competent authority).',
  ),
  rowHead: w('Mes', 'Month'),
  series: [
    { key: 'onTime', label: w('Respondidas a tiempo', 'Answered on time'), color: COLORS.good },
    { key: 'late', label: w('Respondidas tarde', 'Answered late'), color: COLORS.bad },
    { key: 'pending', label: w('Pendientes', 'Pending'), color: COLORS.neutral },
    {
      key: 'other',
      label: w('Trasladadas o retiradas', 'Forwarded or withdrawn'),
      color: COLORS.other,
    },
  ],
  columns: months,
  locale,
})}

<h2>${w('Tiempo de respuesta', 'Time to answer')}</h2>
${barChart({
  id: 'dias',
  title: w('Respondidas según los días hábiles que tomó responder', 'Answered, by business days taken'),
  caption: w(
    'Días hábiles desde la recepción hasta la respuesta, sin contar los días en que el término estuvo suspendido.',
    'Business days from receipt to answer, not counting days when the term was suspended.',
  ),
  rowHead: w('Días hábiles', 'Business days'),
  valueHead: w('Solicitudes respondidas', 'Requests answered'),
  rows: dayBuckets(r.daysToAnswer.distribution, w),
  locale,
})}

<h2>${w('Solicitudes recibidas', 'Requests received')}</h2>
${barChart({
  id: 'tipos',
  title: w('Recibidas por tipo', 'Received by kind'),
  caption: w('Lo que pidió cada persona al presentar su solicitud.', 'What each person filed.'),
  rowHead: w('Tipo', 'Kind'),
  valueHead: w('Solicitudes', 'Requests'),
  rows: labelled(r.received.byKind, KIND_LABELS),
  locale,
})}
${barChart({
  id: 'canales',
  title: w('Recibidas por canal', 'Received by channel'),
  caption: w('Por dónde llegó cada solicitud.', 'How each request arrived.'),
  rowHead: w('Canal', 'Channel'),
  valueHead: w('Solicitudes', 'Requests'),
  rows: labelled(r.received.byChannel, CHANNEL_LABELS),
  locale,
})}
${table({
  caption: w('Recibidas por término legal que se les aplica', 'Received by the legal term that applies'),
  columns: [{ label: w('Término', 'Term') }, { label: w('Solicitudes', 'Requests'), type: 'number' }],
  rows: labelled(r.received.byTermClass, TERM_CLASS_LABELS).map((x) => [x.label, n(x.value)]),
})}

<h2>${w('Trasladadas por competencia', 'Forwarded to the competent authority')}</h2>
${
  forwarded.length === 0
    ? none
    : table({
        caption: w(
          'Trasladadas, por autoridad que las recibió',
          'Forwarded, by the authority that received them',
        ),
        columns: [
          { label: w('Autoridad', 'Authority') },
          { label: w('Solicitudes', 'Requests'), type: 'number' },
        ],
        rows: forwarded.map((f) => [f.name, n(f.count)]),
      })
}

<h2>${w('Solicitudes de información negadas', 'Information requests denied')}</h2>
<p>${w(
    `Negadas totalmente: ${n(r.denied.full)}. Negadas en parte: ${n(r.denied.partial)}.`,
    `Fully denied: ${n(r.denied.full)}. Partly denied: ${n(r.denied.partial)}.`,
  )}</p>
${
  grounds.length === 0
    ? ''
    : table({
        caption: w('Negadas, por fundamento legal', 'Denied, by legal ground'),
        columns: [
          { label: w('Fundamento', 'Ground') },
          { label: w('Solicitudes', 'Requests'), type: 'number' },
        ],
        rows: grounds.map(([key, count]) => [groundLabel(key, locale), n(count)]),
      })
}

<h2>${w('Quiénes presentaron las solicitudes', 'Who filed the requests')}</h2>
<p class="note">${w(
    'Datos que los peticionarios dieron de forma voluntaria.',
    'Data petitioners chose to give.',
  )} ${e(withheldNote(r.breakdowns.k, locale))}</p>
${breakdown(w('Por departamento', 'By department'), w('Departamento', 'Department'), r.breakdowns.department, DEPARTMENT_LABELS)}
${breakdown(w('Por género', 'By gender'), w('Género', 'Gender'), r.breakdowns.gender, GENDER_LABELS)}
${breakdown(w('Por edad', 'By age'), w('Edad', 'Age'), r.breakdowns.ageBand, AGE_BAND_LABELS)}
${breakdown(
  w('Por grupo de atención preferente', 'By preferential group'),
  w('Grupo', 'Group'),
  r.breakdowns.preferential,
  PREFERENTIAL_LABELS,
)}
<p class="note">${w(
    'Una persona puede pertenecer a varios grupos de atención preferente, y cuenta en cada uno.',
    'A person may belong to several preferential groups, and counts in each.',
  )}</p>

<h2>${w('Satisfacción con las respuestas', 'Satisfaction with the answers')}</h2>
${barChart({
  id: 'satisfaccion',
  title: w('Calificaciones de satisfacción', 'Satisfaction ratings'),
  caption: w(
    'De 1 (muy insatisfecho) a 5 (muy satisfecho), sin identificar a quien califica.',
    'From 1 (very dissatisfied) to 5 (very satisfied), without identifying who rated.',
  ),
  rowHead: w('Calificación', 'Rating'),
  valueHead: w('Calificaciones', 'Ratings'),
  rows: Object.entries(r.satisfaction.distribution).map(([rating, value]) => ({ label: rating, value })),
  locale,
})}

<h2>${w('Datos abiertos', 'Open data')}</h2>
<ul>
${links.map(([href, text]) => `<li><a href="${e(href)}">${e(text)}</a></li>`).join('\n')}
</ul>`;

  return page({ lang: locale, title, body });
}

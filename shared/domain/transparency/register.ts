/**
 * The open-data register of PQRSD (issue 15; Ley 1712 art. 11 lit. h: every request and its
 * response time published): one row per case with its dates, figures and outcome, and never a
 * free text or anything of the petitioner (Ley 1581 de 2012) — each column is picked, none copied
 * wholesale. With its data dictionary, as the national open-data portal asks. Pure.
 */
import type { CaseRecord } from '../case/case.ts';
import { bogotaDay } from '../clock/dates.ts';
import { csvLine } from '../csv.ts';
import type { Channel, Kind, TermClass } from '../vocabulary.ts';
import { answerDays, type CountedCase, groundKey } from './contributions.ts';

export const REGISTER_OUTCOMES = [
  'pending',
  'granted',
  'partially_granted',
  'denied',
  'forwarded',
  'no_competent_authority',
  'withdrawn_tacit',
  'withdrawn_express',
] as const;
export type RegisterOutcome = (typeof REGISTER_OUTCOMES)[number];

export interface RegisterRow {
  radicado: string;
  entity: string;
  kind: Kind;
  channel: Channel;
  termClass: TermClass;
  received: string;
  due: string | null;
  answered: string | null;
  notified: string | null;
  businessDaysUsed: number | null;
  extended: boolean;
  forwardedTo: string | null;
  outcome: RegisterOutcome;
  denialGround: string | null;
}

/** The columns, in order, with what each holds (the data dictionary). */
export const REGISTER_DICTIONARY: readonly {
  column: keyof RegisterRow;
  type: string;
  description: string;
}[] = [
  { column: 'radicado', type: 'text', description: 'Filing number: <ENTITY>-<YYYY>-<NNNNNN>' },
  { column: 'entity', type: 'text', description: 'Id of the entity the request was filed with' },
  {
    column: 'kind',
    type: 'text',
    description: 'petition, complaint, claim, suggestion, report (denuncia), information_request or query',
  },
  {
    column: 'channel',
    type: 'text',
    description: 'web, portal, email, call_centre, in_person, phone, mail or participation',
  },
  {
    column: 'termClass',
    type: 'text',
    description:
      'The legal term applied: general, information, query, between_authorities, data_protection_query or data_protection_claim',
  },
  { column: 'received', type: 'date (YYYY-MM-DD, Bogotá)', description: 'Day the request was filed' },
  {
    column: 'due',
    type: 'date (YYYY-MM-DD, Bogotá)',
    description: 'Last day of the term, extension included (empty: stopped while waiting for the petitioner)',
  },
  {
    column: 'answered',
    type: 'date (YYYY-MM-DD, Bogotá)',
    description: 'Day it was answered (empty: not answered)',
  },
  {
    column: 'notified',
    type: 'date (YYYY-MM-DD, Bogotá)',
    description: 'Day the petitioner counts as notified of the answer (CPACA art. 69 when by publication)',
  },
  {
    column: 'businessDaysUsed',
    type: 'integer',
    description:
      'Business days the answer took: days of the term used, days waiting for the petitioner excluded, plus any past the due date',
  },
  { column: 'extended', type: 'boolean', description: 'The term was extended (Ley 1755 art. 14 parágrafo)' },
  {
    column: 'forwardedTo',
    type: 'text',
    description: 'Id of the competent entity it was forwarded to (Ley 1755 art. 21)',
  },
  {
    column: 'outcome',
    type: 'text',
    description:
      'pending, granted, partially_granted, denied, forwarded, no_competent_authority, withdrawn_tacit (Ley 1755 art. 17) or withdrawn_express (art. 18)',
  },
  {
    column: 'denialGround',
    type: 'text',
    description:
      'Ley 1712 de 2014 article and literal a denial rests on: 18-a … 18-c, 19-a … 19-i, or 18/19-paragrafo',
  },
];

/** What the register reads of a stored case. */
export type RegisterCase = CountedCase & Pick<CaseRecord, 'radicado' | 'entityId' | 'office' | 'officer'>;

/**
 * A case's entry in the register as stored: its public row, and the office and officer it is
 * with, for the entity's own report to its management (Ley 1474 art. 76) and never published.
 */
export interface RegisterEntry {
  readonly row: RegisterRow;
  readonly office: string | null;
  readonly officer: string | null;
  /** Answered after its due date, as the answer recorded it (null: not answered). */
  readonly answeredLate: boolean | null;
}

/** Whether two entries say the same (a stored one's keys may come back in any order). */
export function sameEntry(a: RegisterEntry, b: RegisterEntry | undefined): boolean {
  return (
    b !== undefined &&
    a.office === b.office &&
    a.officer === b.officer &&
    a.answeredLate === b.answeredLate &&
    REGISTER_DICTIONARY.every((d) => a.row[d.column] === b.row[d.column])
  );
}

/** A case's entry; its `notified` day is the answer's notice's, kept apart (reportCount.ts). */
export function registerEntry(c: RegisterCase): RegisterEntry {
  return {
    row: registerRow(c),
    office: c.office ?? null,
    officer: c.officer ?? null,
    answeredLate: c.answer ? c.answer.late : null,
  };
}

function outcomeOf(c: RegisterCase): RegisterOutcome {
  if (c.answer) return c.answer.outcome;
  if (c.forwardedTo) return 'forwarded';
  if (c.status === 'no_competent_authority') return 'no_competent_authority';
  if (c.withdrawal) return c.withdrawal.kind === 'tacit' ? 'withdrawn_tacit' : 'withdrawn_express';
  return 'pending';
}

/**
 * A case's row. `notifiedOn`: the day the petitioner counts as notified of the answer, from its
 * notice (channels.ts, noticeRecords), when one was sent or published.
 */
export function registerRow(c: RegisterCase, notifiedOn?: string): RegisterRow {
  const a = c.answer;
  return {
    radicado: c.radicado,
    entity: c.entityId,
    kind: c.kind,
    channel: c.channel,
    termClass: c.termClass,
    received: bogotaDay(c.receivedAt),
    due: c.dueDate,
    answered: a ? bogotaDay(a.at) : null,
    notified: a && notifiedOn !== undefined ? notifiedOn : null,
    businessDaysUsed: a ? answerDays(c, a.at).used : null,
    extended: (c.clockEvents ?? []).some((e) => e.type === 'extended'),
    forwardedTo: c.forwardedTo?.entityId ?? null,
    outcome: outcomeOf(c),
    denialGround: a?.legalGround && a.outcome !== 'granted' ? groundKey(a.legalGround) : null,
  };
}

export function registerCsvHeader(): string {
  return csvLine(REGISTER_DICTIONARY.map((d) => d.column));
}

export function registerCsvRows(rows: readonly RegisterRow[]): string {
  return rows
    .map((r) =>
      csvLine(
        REGISTER_DICTIONARY.map((d) => {
          const v = r[d.column];
          return typeof v === 'boolean' ? String(v) : v;
        }),
      ),
    )
    .join('');
}

/** The data dictionary itself as CSV (column, type, description). */
export function registerDictionaryCsv(): string {
  return (
    csvLine(['column', 'type', 'description']) +
    REGISTER_DICTIONARY.map((d) => csvLine([d.column, d.type, d.description])).join('')
  );
}

/** What to publish the register under: CC BY-SA 4.0, as datos.gov.co lists its open data. */
export const REGISTER_LICENSE = 'https://creativecommons.org/licenses/by-sa/4.0/';

/**
 * The register's metadata for the national open-data portal, as DCAT (JSON-LD): title,
 * description, publisher, license, update frequency, temporal coverage, its distributions and the
 * column list (CSVW), so a harvester can list it without reading it.
 */
export function registerMetadata(input: {
  entity: { id: string; name: string };
  period: { label: string; from: string; to: string };
  /** Absolute or root-relative URLs of the metadata itself, the CSV, the JSON and the dictionary. */
  urls: { self: string; csv: string; json: string; dictionary: string };
  /** The Bogotá day it is read (the register changes as cases do). */
  modified: string;
}): Record<string, unknown> {
  const { entity, period, urls } = input;
  return {
    '@context': {
      dcat: 'http://www.w3.org/ns/dcat#',
      dct: 'http://purl.org/dc/terms/',
      foaf: 'http://xmlns.com/foaf/0.1/',
      csvw: 'http://www.w3.org/ns/csvw#',
    },
    '@id': urls.self,
    '@type': 'dcat:Dataset',
    'dct:title': `Registro de PQRSD — ${entity.name} (${period.label})`,
    'dct:description':
      'Registro público de peticiones, quejas, reclamos, sugerencias, denuncias y solicitudes de información recibidas por la entidad, con sus fechas, tiempos de respuesta y resultado (Ley 1712 de 2014, art. 11, lit. h). Sin datos personales ni textos de las solicitudes.',
    'dct:publisher': { '@type': 'foaf:Organization', 'foaf:name': entity.name, 'dct:identifier': entity.id },
    'dct:license': REGISTER_LICENSE,
    'dct:language': 'es',
    'dct:accrualPeriodicity': 'http://purl.org/cu/freq/daily',
    'dct:modified': input.modified,
    'dct:temporal': { '@type': 'dct:PeriodOfTime', 'dcat:startDate': period.from, 'dcat:endDate': period.to },
    'dcat:keyword': [
      'PQRSD',
      'transparencia',
      'acceso a la información',
      'Ley 1712 de 2014',
      'Ley 1755 de 2015',
    ],
    // accessURL, not downloadURL: each is paged (the CSV's next page in its Link rel="next" header).
    'dcat:distribution': [
      {
        '@type': 'dcat:Distribution',
        'dct:title': 'CSV (UTF-8, RFC 4180), por páginas: la siguiente en el encabezado Link rel="next"',
        'dcat:accessURL': urls.csv,
        'dcat:mediaType': 'https://www.iana.org/assignments/media-types/text/csv',
        'dct:license': REGISTER_LICENSE,
        'csvw:tableSchema': {
          'csvw:column': REGISTER_DICTIONARY.map((d) => ({
            'csvw:name': d.column,
            'csvw:datatype': d.type,
            'dct:description': d.description,
          })),
        },
      },
      {
        '@type': 'dcat:Distribution',
        'dct:title': 'JSON, por páginas: la siguiente con el campo cursor',
        'dcat:accessURL': urls.json,
        'dcat:mediaType': 'https://www.iana.org/assignments/media-types/application/json',
        'dct:license': REGISTER_LICENSE,
      },
      {
        '@type': 'dcat:Distribution',
        'dct:title': 'Diccionario de datos (CSV)',
        'dcat:downloadURL': urls.dictionary,
        'dcat:mediaType': 'https://www.iana.org/assignments/media-types/text/csv',
      },
    ],
  };
}

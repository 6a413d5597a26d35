/**
 * RFC 9457 problem details. Every 4xx/5xx this API returns is one of these, as
 * `application/problem+json`, with a stable `type` a client can switch on, in Spanish (English
 * with `Accept-Language: en`): the title, the detail and each error's message, next to its code.
 */
import type { FieldIssue, IssueCode, Locale, Phrase } from '#domain/issues.ts';

export const PROBLEM_TYPES = {
  400: 'urn:urna:problem:bad-request',
  401: 'urn:urna:problem:unauthorized',
  403: 'urn:urna:problem:forbidden',
  404: 'urn:urna:problem:not-found',
  405: 'urn:urna:problem:method-not-allowed',
  409: 'urn:urna:problem:conflict',
  412: 'urn:urna:problem:precondition-failed',
  413: 'urn:urna:problem:payload-too-large',
  415: 'urn:urna:problem:unsupported-media-type',
  422: 'urn:urna:problem:validation',
  428: 'urn:urna:problem:precondition-required',
  429: 'urn:urna:problem:too-many-requests',
  500: 'urn:urna:problem:internal',
  503: 'urn:urna:problem:busy',
} as const;
export type ProblemStatus = keyof typeof PROBLEM_TYPES;

const TITLES: Record<ProblemStatus, Phrase> = {
  400: { es: 'Solicitud mal formada', en: 'Bad request' },
  401: { es: 'Se requiere autenticación', en: 'Authentication required' },
  403: { es: 'No permitido', en: 'Forbidden' },
  404: { es: 'No encontrado', en: 'Not found' },
  405: { es: 'Método no permitido', en: 'Method not allowed' },
  409: { es: 'Conflicto con el estado actual', en: 'Conflict' },
  412: { es: 'Cambió desde que lo leyó', en: 'Precondition failed' },
  413: { es: 'Demasiado grande', en: 'Payload too large' },
  415: { es: 'Tipo de contenido no admitido', en: 'Unsupported media type' },
  422: { es: 'Solicitud no válida', en: 'Invalid request' },
  428: { es: 'Falta una precondición', en: 'Precondition required' },
  429: { es: 'Demasiadas solicitudes', en: 'Too many requests' },
  500: { es: 'Error interno', en: 'Internal error' },
  503: { es: 'Ocupado: intente de nuevo en un momento', en: 'Busy: retry shortly' },
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: { field: string; code: IssueCode; message: string }[];
  correlationId?: string;
  /** Extension members (RFC 9457 §3.2). */
  [extension: string]: unknown;
}

export class HttpProblem extends Error {
  readonly status: ProblemStatus;
  readonly detail: Phrase;
  readonly errors: FieldIssue[] | undefined;
  readonly type: string;
  /** Response headers that go with this problem (e.g. WWW-Authenticate on a 401). */
  readonly headers: Readonly<Record<string, string>>;
  readonly extensions: Readonly<Record<string, unknown>>;

  constructor(
    status: ProblemStatus,
    detail: Phrase,
    options: {
      errors?: FieldIssue[];
      type?: string;
      headers?: Record<string, string>;
      extensions?: Record<string, unknown>;
    } = {},
  ) {
    super(detail.en);
    this.name = 'HttpProblem';
    this.status = status;
    this.detail = detail;
    this.errors = options.errors;
    this.type = options.type ?? PROBLEM_TYPES[status];
    this.headers = options.headers ?? {};
    this.extensions = options.extensions ?? {};
  }

  toProblem(locale: Locale, instance?: string, correlationId?: string): Problem {
    return {
      ...this.extensions,
      type: this.type,
      title: TITLES[this.status][locale],
      status: this.status,
      detail: this.detail[locale],
      ...(instance ? { instance } : {}),
      ...(this.errors
        ? { errors: this.errors.map((e) => ({ field: e.field, code: e.code, message: e.message[locale] })) }
        : {}),
      ...(correlationId ? { correlationId } : {}),
    };
  }
}

/** A request the schemas refuse: the detail names the fields, each error says how to fix it. */
export function validationProblem(errors: FieldIssue[], status: 400 | 422 = 422): HttpProblem {
  const first = errors[0]?.message ?? { es: 'un valor no es válido', en: 'a value is not valid' };
  const more = errors.length - 1;
  return new HttpProblem(
    status,
    {
      es: `Revise la solicitud: ${first.es}${more > 0 ? ` (y ${more} más)` : ''}`,
      en: `Check the request: ${first.en}${more > 0 ? ` (and ${more} more)` : ''}`,
    },
    { errors },
  );
}

export function internalProblem(locale: Locale, correlationId: string): Problem {
  return {
    type: PROBLEM_TYPES[500],
    title: TITLES[500][locale],
    status: 500,
    detail: {
      es: 'Ocurrió un error inesperado. Cite el identificador de correlación al reportarlo.',
      en: 'An unexpected error occurred. Quote the correlation id when reporting it.',
    }[locale],
    correlationId,
  };
}

/**
 * The language of the answer: English when the client prefers it (`Accept-Language`, q-values
 * honoured), Spanish otherwise (the citizens' language).
 */
export function localeOf(acceptLanguage: string | undefined): Locale {
  if (!acceptLanguage) return 'es';
  let best: { locale: Locale; q: number } = { locale: 'es', q: 0 };
  for (const part of acceptLanguage.split(',')) {
    const [rawTag = '', ...params] = part.toLowerCase().split(';');
    const tag = rawTag.trim();
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (!Number.isFinite(q) || q <= best.q) continue;
    if (tag === 'en' || tag.startsWith('en-')) best = { locale: 'en', q };
    else if (tag === 'es' || tag.startsWith('es-') || tag === '*') best = { locale: 'es', q };
  }
  return best.locale;
}

/**
 * RFC 9457 problem details. Every 4xx/5xx this API returns is one of these, as
 * `application/problem+json`, with a stable `type` a client can switch on.
 */
import type { FieldIssue } from '#domain/issues.ts';

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

const TITLES: Record<ProblemStatus, string> = {
  400: 'Bad request',
  401: 'Authentication required',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  412: 'Precondition failed',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Invalid request',
  428: 'Precondition required',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Busy: retry shortly',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldIssue[];
  correlationId?: string;
  /** Extension members (RFC 9457 §3.2). */
  [extension: string]: unknown;
}

export class HttpProblem extends Error {
  readonly status: ProblemStatus;
  readonly errors: FieldIssue[] | undefined;
  readonly type: string;
  /** Response headers that go with this problem (e.g. WWW-Authenticate on a 401). */
  readonly headers: Readonly<Record<string, string>>;
  readonly extensions: Readonly<Record<string, unknown>>;

  constructor(
    status: ProblemStatus,
    detail: string,
    options: {
      errors?: FieldIssue[];
      type?: string;
      headers?: Record<string, string>;
      extensions?: Record<string, unknown>;
    } = {},
  ) {
    super(detail);
    this.name = 'HttpProblem';
    this.status = status;
    this.errors = options.errors;
    this.type = options.type ?? PROBLEM_TYPES[status];
    this.headers = options.headers ?? {};
    this.extensions = options.extensions ?? {};
  }

  toProblem(instance?: string, correlationId?: string): Problem {
    return {
      ...this.extensions,
      type: this.type,
      title: TITLES[this.status],
      status: this.status,
      detail: this.message,
      ...(instance ? { instance } : {}),
      ...(this.errors ? { errors: this.errors } : {}),
      ...(correlationId ? { correlationId } : {}),
    };
  }
}

export function validationProblem(errors: FieldIssue[], status: 400 | 422 = 422): HttpProblem {
  const fields = [...new Set(errors.map((e) => e.field))].join(', ');
  return new HttpProblem(status, `invalid ${fields}: ${errors[0]?.message ?? 'invalid value'}`, { errors });
}

export function internalProblem(correlationId: string): Problem {
  return {
    type: PROBLEM_TYPES[500],
    title: TITLES[500],
    status: 500,
    detail: 'An unexpected error occurred. Quote the correlation id when reporting it.',
    correlationId,
  };
}

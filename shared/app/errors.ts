import { type FieldIssue, fieldIssue, type Phrase } from '#domain/issues.ts';
import { InvalidCursorError } from '#ports/index.ts';

/** A use case's refusal; the HTTP layer maps `code` to a status, consumers to a rejection. */
export class UseCaseError extends Error {
  constructor(
    readonly code:
      | 'bad_request'
      | 'invalid'
      | 'not_found'
      | 'conflict'
      | 'unauthorized'
      | 'forbidden'
      | 'precondition_failed'
      | 'precondition_required'
      | 'too_large'
      | 'unsupported_media'
      | 'too_many'
      | 'busy',
    /** What a client is told: Spanish, and English on request. */
    readonly detail: Phrase,
    readonly issues: FieldIssue[] = [],
    /**
     * What a client switches on beyond the status: a problem `type` suffix (`urn:urna:problem:<type>`)
     * and extension members (RFC 9457 §3.2), e.g. the case's status on a 409.
     */
    readonly problem: {
      type?: string;
      extensions?: Record<string, unknown>;
      /** The entity tag of what is stored now, when the caller's was stale (a 412). */
      currentTag?: string;
      /** When to retry, when the refusal is momentary (a 503). */
      retryAfterSeconds?: number;
    } = {},
  ) {
    super(detail.en);
    this.name = 'UseCaseError';
  }
}

/** One field's refusal (422): the detail and the error both name the field. */
export function invalid(field: string, code: FieldIssue['code'], es: string, en: string): UseCaseError {
  const issue = fieldIssue(field, code, es, en);
  return new UseCaseError('invalid', issue.message, [issue]);
}

/** A listing whose cursor the store did not give: the caller's mistake (400), not a failure. */
export async function paged<T>(listing: Promise<T>): Promise<T> {
  try {
    return await listing;
  } catch (error) {
    if (!(error instanceof InvalidCursorError)) throw error;
    const issue = fieldIssue(
      'query.cursor',
      'invalid_value',
      'no es un cursor que esta API haya dado para este listado: pida la primera página de nuevo',
      'is not a cursor this API gave for this listing: ask for the first page again',
    );
    throw new UseCaseError('bad_request', issue.message, [issue]);
  }
}

import type { FieldIssue } from '#domain/issues.ts';
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
    message: string,
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
    super(message);
    this.name = 'UseCaseError';
  }
}

export const invalid = (field: string, message: string) =>
  new UseCaseError('invalid', `invalid ${field}: ${message}`, [{ field, message }]);

/** A listing whose cursor the store did not give: the caller's mistake (400), not a failure. */
export async function paged<T>(listing: Promise<T>): Promise<T> {
  try {
    return await listing;
  } catch (error) {
    if (!(error instanceof InvalidCursorError)) throw error;
    throw new UseCaseError('bad_request', error.message, [{ field: 'query.cursor', message: error.message }]);
  }
}

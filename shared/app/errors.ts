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

/**
 * A refusal naming fields (422 unless `code` says otherwise): the detail is the first issue's
 * message (which names its field), and how many more there are.
 */
export function refusal(
  issues: readonly FieldIssue[],
  code: UseCaseError['code'] = 'invalid',
  problem: UseCaseError['problem'] = {},
): UseCaseError {
  const first = issues[0]?.message ?? { es: 'Un valor no es válido', en: 'a value is not valid' };
  const more = issues.length - 1;
  const detail: Phrase =
    more > 0 ? { es: `${first.es} (y ${more} más)`, en: `${first.en} (and ${more} more)` } : first;
  return new UseCaseError(code, detail, [...issues], problem);
}

/** One field's refusal (422 unless `status` says otherwise): the detail and the error both name the field. */
export function invalid(
  field: string,
  code: FieldIssue['code'],
  es: string,
  en: string,
  status: UseCaseError['code'] = 'invalid',
): UseCaseError {
  return refusal([fieldIssue(field, code, es, en)], status);
}

/** A listing whose cursor the store did not give: the caller's mistake (400), not a failure. */
export async function paged<T>(listing: Promise<T>): Promise<T> {
  try {
    return await listing;
  } catch (error) {
    if (!(error instanceof InvalidCursorError)) throw error;
    throw invalid(
      'query.cursor',
      'invalid_value',
      'no es un cursor que esta API haya dado para este listado: pida de nuevo la primera página',
      'is not a cursor this API gave for this listing: ask for the first page again',
      'bad_request',
    );
  }
}

/**
 * An idempotency key already used with another request (422), on `header.idempotency-key`: the
 * field its format is checked as, whichever route it came to.
 */
export function keyReused(): UseCaseError {
  return invalid(
    'header.idempotency-key',
    'conflict',
    'ya se usó con otra solicitud: para una solicitud distinta use una clave nueva',
    'was already used with a different request',
  );
}

/** A field names an entity this system does not have (422). */
export function noEntity(field: string, entityId: string): UseCaseError {
  return invalid(
    field,
    'not_found',
    `no existe la entidad ${entityId}: GET /v1/public/entities lista las entidades`,
    `no entity ${entityId}; GET /v1/public/entities lists them`,
  );
}

/**
 * Conditional writes (RFC 9110 §13.1.1): a client sends back, as If-Match, the ETag of what it
 * read; a write whose tag no longer matches is refused (412) so that nobody overwrites a change
 * they have not seen. One rule for every versioned resource (cases, entity settings).
 */
import { UseCaseError } from './errors.ts';

/** Refuses a write whose If-Match is missing (428), malformed (400) or not the current tag (412). */
export function requireIfMatch(ifMatch: string | undefined, current: string, what: string): void {
  if (ifMatch === undefined || ifMatch.trim() === '') {
    throw new UseCaseError(
      'precondition_required',
      `send If-Match with the ETag of ${what} as you read it: it keeps you from overwriting a change you have not seen`,
      [{ field: 'header.if-match', message: 'is required' }],
    );
  }
  const tags = ifMatch.split(',').map((t) => t.trim());
  if (tags.some((t) => t !== '*' && !/^(?:W\/)?"[^"]*"$/.test(t))) {
    throw new UseCaseError('bad_request', `If-Match must be the ETag you read, such as ${current}`, [
      { field: 'header.if-match', message: `must be an entity tag such as ${current}` },
    ]);
  }
  // Strong comparison: a weak tag matches nothing.
  if (!tags.includes('*') && !tags.includes(current)) throw stale(what, current);
}

/** `what` changed since the caller read it (412), with the tag of what is stored now. */
export function stale(what: string, current: string): UseCaseError {
  return new UseCaseError(
    'precondition_failed',
    `${what} changed since you read it: read it again and retry with its new ETag`,
    [{ field: 'header.if-match', message: 'does not match the current ETag' }],
    { type: 'stale', currentTag: current },
  );
}

/**
 * Conditional writes (RFC 9110 §13.1.1): a client sends back, as If-Match, the ETag of what it
 * read; a write whose tag no longer matches is refused (412) so that nobody overwrites a change
 * they have not seen. One rule for every versioned resource (cases, entity settings).
 */
import { fieldIssue, type Phrase } from '#domain/issues.ts';
import { invalid, UseCaseError } from './errors.ts';

/**
 * Refuses a write whose If-Match is missing (428), malformed (400) or not the current tag (412).
 * `what`: the resource, as a noun phrase in both languages (`el caso X` / `case X`).
 */
export function requireIfMatch(ifMatch: string | undefined, current: string, what: Phrase): void {
  if (ifMatch === undefined || ifMatch.trim() === '') {
    throw new UseCaseError(
      'precondition_required',
      {
        es: `Envíe If-Match con el ETag que leyó ${of(what.es)}: así no sobrescribe un cambio que no ha visto`,
        en: `send If-Match with the ETag of ${what.en} as you read it: it keeps you from overwriting a change you have not seen`,
      },
      [
        fieldIssue(
          'header.if-match',
          'required',
          `es obligatorio: envíe el ETag que leyó, como ${current}`,
          `is required: send the ETag you read, such as ${current}`,
        ),
      ],
    );
  }
  const tags = ifMatch.split(',').map((t) => t.trim());
  if (tags.some((t) => t !== '*' && !/^(?:W\/)?"[^"]*"$/.test(t))) {
    throw invalid(
      'header.if-match',
      'invalid_format',
      `escriba el ETag que leyó, entre comillas, como ${current}`,
      `must be an entity tag such as ${current}`,
      'bad_request',
    );
  }
  // Strong comparison: a weak tag matches nothing.
  if (!tags.includes('*') && !tags.includes(current)) throw stale(what, current);
}

/** Spanish "de" before a phrase, contracted before "el" (del caso). */
const of = (es: string) => (es.startsWith('el ') ? `del ${es.slice(3)}` : `de ${es}`);

/** `what` changed since the caller read it (412), with the tag of what is stored now. */
export function stale(what: Phrase, current: string): UseCaseError {
  return new UseCaseError(
    'precondition_failed',
    {
      es: `${capitalized(what.es)} cambió desde su última lectura: haga una nueva lectura y reintente con el nuevo ETag`,
      en: `${what.en} changed since you read it: read it again and retry with its new ETag`,
    },
    [
      fieldIssue(
        'header.if-match',
        'conflict',
        'no coincide con el ETag actual: haga una nueva lectura y reintente',
        'does not match the current ETag',
      ),
    ],
    { type: 'stale', currentTag: current },
  );
}

const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

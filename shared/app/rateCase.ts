/**
 * The petitioner rates the answer to their case, once (issue 13): for the entity's satisfaction
 * statistics only. Before the answer, or a second time → 409 (a retry with the same
 * Idempotency-Key and request answers as the first). The rating is stored without the
 * radicado (Ratings port), so no output can link it back to the petitioner.
 */

import { bogotaDay } from '#domain/clock/dates.ts';
import { type RatingInput, ratingOf } from '#domain/satisfaction.ts';
import { canonicalJson } from '#domain/text.ts';
import type { Ratings } from '#ports/citizens.ts';
import { keyReused, UseCaseError } from './errors.ts';
import { type PetitionerCredential, type PetitionerDeps, petitionersCase } from './petitioner.ts';

/** The case has an answer to rate (answered, or closed or taken further after one). */
const RATEABLE = new Set(['answered', 'closed', 'insistence', 'at_court']);

export async function rateCase(
  deps: PetitionerDeps & { ratings: Ratings },
  radicado: string,
  credential: PetitionerCredential,
  input: RatingInput,
  idempotencyKey?: string,
): Promise<{ radicado: string; rated: true }> {
  const record = await petitionersCase(deps, radicado, credential);
  if (!record.answer || !RATEABLE.has(record.status)) {
    throw new UseCaseError(
      'conflict',
      {
        es: 'El caso se puede calificar una vez respondido',
        en: 'the case can be rated once it is answered',
      },
      [],
      {
        extensions: { caseStatus: record.status },
      },
    );
  }
  const now = deps.clock.now();
  // Keyed: a table reader without the key cannot try the few possible ratings against it.
  const hash = (text: string) => deps.pseudonyms.current(text).hash;
  const retry =
    idempotencyKey === undefined
      ? undefined
      : {
          key: hash(`rating\n${radicado}\n${idempotencyKey}`),
          request: hash(`rating\n${radicado}\n${idempotencyKey}\n${canonicalJson(input)}`),
        };
  const outcome = await deps.ratings.rate(
    radicado,
    ratingOf(input, record, bogotaDay(now)),
    now.toISOString(),
    retry,
  );
  if (outcome === 'key_conflict') throw keyReused();
  if (outcome === 'already') {
    throw new UseCaseError(
      'conflict',
      {
        es: 'Este caso ya fue calificado: cada caso se califica una sola vez',
        en: 'this case was already rated: a case is rated once',
      },
      [],
      { type: 'already-rated' },
    );
  }
  return { radicado, rated: true };
}

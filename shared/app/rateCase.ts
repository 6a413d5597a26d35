/**
 * The petitioner rates the answer to their case, once (issue 13): for the entity's satisfaction
 * statistics only. Before the answer, or a second time → 409. The rating is stored without the
 * radicado (Ratings port), so no output can link it back to the petitioner.
 */
import { type RatingInput, ratingOf } from '#domain/satisfaction.ts';
import type { Ratings } from '#ports/citizens.ts';
import { UseCaseError } from './errors.ts';
import { type PetitionerCredential, type PetitionerDeps, petitionersCase } from './petitioner.ts';

/** The case has an answer to rate (answered, or closed or taken further after one). */
const RATEABLE = new Set(['answered', 'closed', 'insistence', 'at_court']);

export async function rateCase(
  deps: PetitionerDeps & { ratings: Ratings },
  radicado: string,
  credential: PetitionerCredential,
  input: RatingInput,
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
  // The month of the rating in Bogota (UTC−5, no DST).
  const today = new Date(now.getTime() - 5 * 3600_000).toISOString().slice(0, 10);
  const outcome = await deps.ratings.rate(radicado, ratingOf(input, record, today), now.toISOString());
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

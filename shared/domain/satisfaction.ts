/**
 * A petitioner's rating of the answer to their case (issue 13), for aggregate statistics only
 * (the PQRSD report's satisfaction): once per answered case, stored without the radicado or
 * anything that links it back to the petitioner.
 */
import * as z from 'zod';
import { AGE_BANDS, GENDERS } from './demographics.ts';
import { plainText } from './text.ts';
import type { Kind } from './vocabulary.ts';

export const RatingInputSchema = z.strictObject({
  rating: z.number().int().min(1).max(5).describe('1 (very dissatisfied) to 5 (very satisfied)'),
  comment: plainText(2000).optional(),
  gender: z.enum(GENDERS).optional(),
  ageBand: z.enum(AGE_BANDS).optional(),
});
export type RatingInput = z.output<typeof RatingInputSchema>;

/** What is stored: the entity, the month and kind (for the report), the rating; no radicado, no instant. */
export interface Rating extends RatingInput {
  entityId: string;
  /** `YYYY-MM` (Bogota) of the rating. */
  month: string;
  kind: Kind;
}

/** The PQRSD report's figure of ratings (transparency/contributions.ts reads the same). */
export const RATING_FIGURE = 'satisfaction|rating';

/**
 * What a stored rating adds to its entity's report: one in its month and value. Here, not with the
 * cases' contributions, so that what writes a rating does not carry the case counting's code.
 */
export function ratingContributions(r: Pick<Rating, 'month' | 'rating'>): Record<string, number> {
  return { [`${r.month}|${RATING_FIGURE}|${r.rating}`]: 1 };
}

export function ratingOf(input: RatingInput, c: { entityId: string; kind: Kind }, today: string): Rating {
  return { ...input, entityId: c.entityId, kind: c.kind, month: today.slice(0, 7) };
}

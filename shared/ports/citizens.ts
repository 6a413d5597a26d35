/**
 * What the citizen side of a case needs beyond the case itself: the cases an identified citizen
 * follows (filed with their token, or linked with radicado and tracking code), and the ratings.
 */
import type { Rating } from '#domain/satisfaction.ts';
import type { Page } from './index.ts';
import type { Pseudonym } from './pseudonyms.ts';

/** A case in a citizen's list: enough to find it; its current state is read from the case. */
export interface CitizenCaseLink {
  radicado: string;
  entityId: string;
  receivedAt: string;
  linkedAt: string;
}

/**
 * A citizen's list is kept under their pseudonym (CASES_SCOPE), stored with its key version; after a
 * rotation of the pseudonym key the list is read under every version (`citizen`: their pseudonyms'
 * hashes, the current one first), so nothing linked before is lost.
 */
export interface CitizenCases {
  /**
   * Adds the case to the citizen's list under their current pseudonym; linking it again changes
   * nothing. The link as stored: the first one's `linkedAt` when it was there already.
   */
  link(citizen: Pseudonym, link: CitizenCaseLink): Promise<CitizenCaseLink>;
  /** Whether the case is in the citizen's list, under any of these hashes. */
  isLinked(citizen: readonly string[], c: { radicado: string; receivedAt: string }): Promise<boolean>;
  /** The citizen's cases under any of these hashes, newest received first, each once. */
  list(citizen: readonly string[], page: { limit: number; cursor?: string }): Promise<Page<CitizenCaseLink>>;
}

export interface Ratings {
  /**
   * Records the case's one rating: a mark on the case (so a second is refused) and the rating, which
   * names neither the case nor the petitioner, in one transaction. `already`: it was rated before.
   * `retry` (keyed hashes of the Idempotency-Key, and of it with the request) is kept on the mark:
   * the same key and request again → `replayed`, the same key with another request → `key_conflict`.
   */
  rate(
    radicado: string,
    rating: Rating,
    at: string,
    retry?: RatingRetry,
  ): Promise<'rated' | 'already' | 'replayed' | 'key_conflict'>;
}

/** Keyed hashes: without the service's secret they tell nothing of the rating. */
export interface RatingRetry {
  key: string;
  request: string;
}

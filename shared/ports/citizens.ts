/**
 * What the citizen side of a case needs beyond the case itself: the cases an identified citizen
 * follows (filed with their token, or linked with radicado and tracking code), and the ratings.
 */
import type { Rating } from '#domain/satisfaction.ts';
import type { Page } from './index.ts';

/** A case in a citizen's list: enough to find it; its current state is read from the case. */
export interface CitizenCaseLink {
  radicado: string;
  entityId: string;
  receivedAt: string;
  linkedAt: string;
}

export interface CitizenCases {
  /** Adds the case to the citizen's list (`citizen`: their keyed hash); linking it again changes nothing. */
  link(citizen: string, link: CitizenCaseLink): Promise<void>;
  /** Whether the case is in the citizen's list. */
  isLinked(citizen: string, c: { radicado: string; receivedAt: string }): Promise<boolean>;
  /** The citizen's cases, newest received first. */
  list(citizen: string, page: { limit: number; cursor?: string }): Promise<Page<CitizenCaseLink>>;
}

export interface Ratings {
  /**
   * Records the case's one rating: a mark on the case (so a second is refused) and the rating, which
   * names neither the case nor the petitioner, in one transaction. `already`: it was rated before.
   */
  rate(radicado: string, rating: Rating, at: string): Promise<'rated' | 'already'>;
}

/**
 * CitizenCases and Ratings in memory (shared/ports/citizens.ts): a case is in a citizen's list once
 * (linking again changes nothing), newest received first with cursors of that list only, read
 * under every pseudonym given (a case under two of them listed once); a case is
 * rated once (a retry with the same key and request is replayed), and the ratings kept name no case.
 */
import type { Rating } from '#domain/satisfaction.ts';
import type { CitizenCaseLink, CitizenCases, RatingRetry, Ratings } from '#ports/citizens.ts';
import type { Page } from '#ports/index.ts';
import type { Pseudonym } from '#ports/pseudonyms.ts';
import { pageOf } from './cursor.ts';

export class InMemoryCitizens implements CitizenCases, Ratings {
  private readonly lists = new Map<string, Map<string, CitizenCaseLink>>();
  private readonly rated = new Map<string, RatingRetry | undefined>();
  /** The ratings as stored: without the radicado. */
  readonly ratings: Rating[] = [];

  async link(citizen: Pseudonym, link: CitizenCaseLink): Promise<CitizenCaseLink> {
    const list = this.lists.get(citizen.hash) ?? new Map<string, CitizenCaseLink>();
    this.lists.set(citizen.hash, list);
    if (!list.has(link.radicado)) list.set(link.radicado, { ...link });
    return { ...list.get(link.radicado)! };
  }

  async isLinked(citizen: readonly string[], c: { radicado: string }): Promise<boolean> {
    return citizen.some((h) => this.lists.get(h)?.has(c.radicado) ?? false);
  }

  async list(
    citizen: readonly string[],
    page: { limit: number; cursor?: string },
  ): Promise<Page<CitizenCaseLink>> {
    const merged = new Map<string, CitizenCaseLink>();
    for (const h of citizen) {
      for (const l of this.lists.get(h)?.values() ?? [])
        if (!merged.has(l.radicado)) merged.set(l.radicado, l);
    }
    const entries = [...merged.values()].map((l) => ({
      key: `${l.receivedAt}#${l.radicado}`,
      item: { ...l },
    }));
    return pageOf(entries, `citizen#${citizen.join(',')}`, page, 'desc');
  }

  async rate(
    radicado: string,
    rating: Rating,
    _at: string,
    retry?: RatingRetry,
  ): Promise<'rated' | 'already' | 'replayed' | 'key_conflict'> {
    if (this.rated.has(radicado)) {
      const first = this.rated.get(radicado);
      if (!retry || first?.key !== retry.key) return 'already';
      return first.request === retry.request ? 'replayed' : 'key_conflict';
    }
    this.rated.set(radicado, retry && { ...retry });
    this.ratings.push(structuredClone(rating));
    return 'rated';
  }
}

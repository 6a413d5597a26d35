/**
 * CitizenCases and Ratings in memory (shared/ports/citizens.ts): a case is in a citizen's list once
 * (linking again changes nothing), newest received first with cursors of that list only; a case is
 * rated once, and the ratings kept name no case.
 */
import type { Rating } from '#domain/satisfaction.ts';
import type { CitizenCaseLink, CitizenCases, Ratings } from '#ports/citizens.ts';
import type { Page } from '#ports/index.ts';
import { pageOf } from './cursor.ts';

export class InMemoryCitizens implements CitizenCases, Ratings {
  private readonly lists = new Map<string, Map<string, CitizenCaseLink>>();
  private readonly rated = new Set<string>();
  /** The ratings as stored: without the radicado. */
  readonly ratings: Rating[] = [];

  async link(citizen: string, link: CitizenCaseLink): Promise<void> {
    const list = this.lists.get(citizen) ?? new Map<string, CitizenCaseLink>();
    this.lists.set(citizen, list);
    if (!list.has(link.radicado)) list.set(link.radicado, { ...link });
  }

  async isLinked(citizen: string, c: { radicado: string }): Promise<boolean> {
    return this.lists.get(citizen)?.has(c.radicado) ?? false;
  }

  async list(citizen: string, page: { limit: number; cursor?: string }): Promise<Page<CitizenCaseLink>> {
    const entries = [...(this.lists.get(citizen)?.values() ?? [])].map((l) => ({
      key: `${l.receivedAt}#${l.radicado}`,
      item: { ...l },
    }));
    return pageOf(entries, `citizen#${citizen}`, page, 'desc');
  }

  async rate(radicado: string, rating: Rating): Promise<'rated' | 'already'> {
    if (this.rated.has(radicado)) return 'already';
    this.rated.add(radicado);
    this.ratings.push(structuredClone(rating));
    return 'rated';
  }
}

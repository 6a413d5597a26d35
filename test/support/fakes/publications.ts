/**
 * PublicationStore in memory (shared/ports/notifications.ts), as DynamoPublicationStore: a notice
 * is published once per id (a second publish writes nothing and returns the first, dates
 * included); an entity's notices in force on a day (published on or before it, `until` on or
 * after it) come latest-ending first (`until`, then `publishedAt`, then radicado, descending),
 * with cursors of that entity's listing only.
 */
import type { PublicNotice } from '#domain/publication.ts';
import type { PublicationStore } from '#ports/notifications.ts';
import { pageOf } from './cursor.ts';

const copy = <T>(value: T): T => structuredClone(value);

export class InMemoryPublicationStore implements PublicationStore {
  private readonly notices = new Map<string, PublicNotice>();

  async publish(notice: PublicNotice): Promise<PublicNotice> {
    if (!notice.id.startsWith(`${notice.radicado}/`) || notice.id.length === notice.radicado.length + 1) {
      throw new Error(`notice id ${notice.id} does not name a source of ${notice.radicado}`);
    }
    const first = this.notices.get(notice.id);
    if (first) return copy(first);
    this.notices.set(notice.id, copy(notice));
    return copy(notice);
  }

  async inForce(
    entityId: string,
    day: string,
    page: { limit: number; cursor?: string },
  ): Promise<{ items: PublicNotice[]; cursor?: string }> {
    const entries = [...this.notices.values()]
      .filter((n) => n.entityId === entityId && n.publishedOn <= day && day <= n.until)
      .map((n) => ({ key: `${n.until}#${n.publishedAt}#${n.radicado}`, item: copy(n) }));
    return pageOf(entries, `notices#${entityId}`, page, 'desc');
  }

  /** Every notice published, by id (for tests). */
  all(): PublicNotice[] {
    return [...this.notices.values()].map(copy);
  }
}

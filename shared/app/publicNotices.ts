/**
 * The entity's public notices list (CPACA art. 69): the notices published for petitioners nobody
 * could be sent them, shown from their publication through their `until` day, newest first.
 */
import { bogotaDay } from '#domain/clock/dates.ts';
import type { PublicNotice } from '#domain/publication.ts';
import type { Clock, EntityStore } from '#ports/index.ts';
import type { PublicationStore } from '#ports/notifications.ts';
import { paged, UseCaseError } from './errors.ts';

export interface PublicNoticesDeps {
  publications: PublicationStore;
  entities: EntityStore;
  clock: Clock;
}

export async function listPublicNotices(
  deps: PublicNoticesDeps,
  entityId: string,
  page: { limit: number; cursor?: string },
): Promise<{ items: PublicNotice[]; cursor?: string }> {
  const [entity, found] = await Promise.all([
    deps.entities.get(entityId),
    paged(deps.publications.inForce(entityId, bogotaDay(deps.clock.now()), page)),
  ]);
  if (!entity) {
    throw new UseCaseError('not_found', {
      es: `No existe la entidad ${entityId}`,
      en: `no entity ${entityId}`,
    });
  }
  return found;
}

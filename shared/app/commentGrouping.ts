/**
 * Campaign groups after the close (grouping.ts): the Publish schedule tallies the comments of
 * every consultation whose grouping is pending; the participation consumer makes a grouping
 * pending again when it writes comments to a consultation that no longer takes them.
 */
import type { Consultation } from '#domain/participation/consultation.ts';
import { GroupTally, groupingPending } from '#domain/participation/grouping.ts';
import type { Clock } from '#ports/index.ts';
import type { CampaignGroupStore, CommentStore, ConsultationStore } from '#ports/participation.ts';

type Deps = {
  consultations: ConsultationStore;
  comments: CommentStore;
  groups: CampaignGroupStore;
  clock: Clock;
};

/** Save attempts against concurrent changes of the consultation (a communicator's action, a late comment). */
const SAVE_ATTEMPTS = 5;

/**
 * Tallies one consultation's groups and stores them; saved as done only if no comment arrived
 * since the tally began (same epoch). Returns the number of groups, or undefined when the tally
 * is stale or the consultation changed too often (the next tick does it again).
 */
export async function groupConsultation(deps: Deps, id: string): Promise<number | undefined> {
  const start = await deps.consultations.get(id);
  if (start?.grouping?.state !== 'pending') return undefined;
  const epoch = start.grouping.epoch;
  const tally = new GroupTally();
  await deps.comments.tally(id, tally);
  const groups = tally.campaigns();
  if (!(await deps.groups.put(id, epoch, groups))) return undefined;
  let current: Consultation | undefined = start;
  for (let attempt = 0; attempt < SAVE_ATTEMPTS; attempt++) {
    if (attempt > 0) current = await deps.consultations.get(id);
    if (current?.grouping?.epoch !== epoch) return undefined;
    const saved = await deps.consultations.save({
      ...current,
      grouping: {
        state: 'done',
        epoch,
        comments: tally.comments,
        groups: groups.length,
        at: deps.clock.now().toISOString(),
      },
      version: current.version + 1,
    });
    if (saved) return groups.length;
  }
  return undefined;
}

/** The schedule's part: every consultation whose grouping is pending, oldest close first. */
export async function groupDueConsultations(deps: Deps, limit = 20): Promise<string[]> {
  const grouped: string[] = [];
  for (const id of await deps.consultations.listGroupingDue(limit)) {
    if ((await groupConsultation(deps, id)) !== undefined) grouped.push(id);
  }
  return grouped;
}

/**
 * After comments were written to a consultation: if it no longer takes comments (it closed while
 * they were on the queue), its groups may miss them: a new epoch, pending again. Read AFTER the
 * write, so a tally that began before it either sees the new epoch when saving or started after
 * the comments were stored.
 */
export async function regroupIfClosed(deps: Pick<Deps, 'consultations'>, id: string): Promise<boolean> {
  for (let attempt = 0; attempt < SAVE_ATTEMPTS * 2; attempt++) {
    const c = await deps.consultations.get(id);
    if (!c || c.status === 'open' || c.status === 'draft') return false;
    const next = { ...c, grouping: groupingPending(c.grouping), version: c.version + 1 };
    if (await deps.consultations.save(next)) return true;
  }
  throw new Error(`consultation ${id} kept changing: grouping not marked stale`);
}

/** What communicators read to answer comments: the comments (optionally one group's) and the campaign groups. */
import type { Actor } from '#domain/actor.ts';
import type { StoredComment } from '#domain/participation/comment.ts';
import type { Consultation } from '#domain/participation/consultation.ts';
import { groupSizeOf } from '#domain/participation/grouping.ts';
import type { CampaignGroupStore, CommentStore, ConsultationStore } from '#ports/participation.ts';
import { requireDuty } from './access.ts';
import { ownConsultation } from './consultationCreate.ts';
import { paged } from './errors.ts';

function officerComment(c: StoredComment, groupSize: number | null) {
  return {
    reference: c.reference,
    sectionId: c.sectionId,
    stance: c.stance,
    text: c.text,
    acceptedAt: c.acceptedAt,
    identified: c.author.kind === 'citizen',
    group: c.groupKey,
    groupSize,
    disposition: c.disposition
      ? {
          value: c.disposition.value,
          reasons: c.disposition.reasons,
          at: c.disposition.at,
          viaGroup: c.disposition.viaGroup ?? null,
        }
      : null,
  };
}

/** Where the campaign groups stand: computed after the close, again after a late comment. */
function groupingView(c: Consultation) {
  const g = c.grouping;
  return {
    state: g === undefined ? ('after_close' as const) : g.state,
    computedAt: g?.at ?? null,
    comments: g?.comments ?? null,
    groups: g?.groups ?? null,
  };
}

export async function listCommentsForOfficer(
  deps: { consultations: ConsultationStore; comments: CommentStore; groups: CampaignGroupStore },
  actor: Actor,
  consultationId: string,
  query: { group?: string | undefined; limit: number; cursor?: string | undefined },
) {
  requireDuty(actor, 'participation');
  const c = await ownConsultation(deps, actor, consultationId);
  const page = { limit: query.limit, ...(query.cursor !== undefined ? { cursor: query.cursor } : {}) };
  const result = await paged(
    query.group !== undefined
      ? deps.comments.listGroupMembers(c.id, query.group, page)
      : deps.comments.list(c.id, page),
  );
  const groups = await deps.groups.get(
    c.id,
    result.items.map((i) => i.groupKey),
  );
  return {
    items: result.items.map((i) => officerComment(i, groupSizeOf(groups.get(i.groupKey), c.grouping))),
    ...(result.cursor ? { cursor: result.cursor } : {}),
  };
}

export async function listGroupsForOfficer(
  deps: { consultations: ConsultationStore; comments: CommentStore; groups: CampaignGroupStore },
  actor: Actor,
  consultationId: string,
  query: { minSize: number; limit: number; cursor?: string | undefined },
) {
  requireDuty(actor, 'participation');
  const c = await ownConsultation(deps, actor, consultationId);
  const result = await paged(
    deps.groups.list(c.id, {
      minSize: query.minSize,
      limit: query.limit,
      ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
    }),
  );
  const exemplars = new Map(
    (
      await deps.comments.get(
        c.id,
        result.items.map((g) => g.exemplar),
      )
    ).map((x) => [x.reference, x]),
  );
  return {
    grouping: groupingView(c),
    items: result.items.map((g) => ({
      group: g.key,
      sectionId: g.sectionId,
      stance: g.stance,
      size: g.size,
      exemplar: { reference: g.exemplar, text: exemplars.get(g.exemplar)?.text ?? '' },
    })),
    ...(result.cursor ? { cursor: result.cursor } : {}),
  };
}

/**
 * The e-participation item kinds (keys.ts has the case's): each kind's key and index attributes
 * from its data, and the shapes a cursor on it may have. Apart from keys.ts so that the case
 * functions do not import the participation domain modules.
 */
import { GROUP_KEY, REFERENCE, type StoredComment } from '#domain/participation/comment.ts';
import type { Consultation } from '#domain/participation/consultation.ts';
import { CONSULTATION_ID } from '#domain/participation/ids.ts';
import { PROPOSAL_ID, type ProposalRecord } from '#domain/participation/proposal.ts';
import {
  commentPartition,
  consultationShard,
  type IndexKey,
  ISO_INSTANT,
  type KeyShapes,
  keys,
  positionsName,
  proposalShard,
} from './keys.ts';

const source = (pattern: RegExp) => pattern.source.replace(/^\^|\$$/g, '');
const utc = (instant: string) => new Date(instant).toISOString();

/**
 * A consultation: on gsi1 once it is not a draft (by when comments open), on gsi3 while open (by
 * closesAt: the scheduler closes it) and while its campaign groups are to be computed (by closedAt),
 * each in the consultation's shard of the index (consultationShard).
 */
export const consultationItem = {
  keys: (c: Consultation) => {
    const shard = consultationShard(c.id);
    return {
      ...keys.consultation(c.id),
      ...(c.status !== 'draft'
        ? { gsi1pk: keys.consultationsIndex(shard), gsi1sk: `${utc(c.opensAt)}#${c.id}` }
        : {}),
      ...(c.status === 'open'
        ? { gsi3pk: keys.openConsultations(shard), gsi3sk: `${utc(c.closesAt)}#${c.id}` }
        : c.grouping?.state === 'pending'
          ? { gsi3pk: keys.groupingDue(shard), gsi3sk: `${utc(c.closedAt ?? c.closesAt)}#${c.id}` }
          : {}),
    };
  },
  shapes: {
    patterns: {
      pk: new RegExp(`^CONSULTATION#${source(CONSULTATION_ID)}$`),
      sk: /^CONSULTATION$/,
      gsi1pk: /^CONSULTATIONS#\d{1,2}$/,
      gsi1sk: new RegExp(`^${ISO_INSTANT}#`),
      gsi3pk: /^CONSULTATIONS#(?:OPEN|GROUPING)#\d{1,2}$/,
      gsi3sk: new RegExp(`^${ISO_INSTANT}#`),
    },
    // Each position names the consultation of the key, in that consultation's shard.
    agree: (key) => {
      const id = key.pk?.slice('CONSULTATION#'.length) ?? '';
      const shard = `#${consultationShard(id)}`;
      return (
        positionsName(key, id) &&
        [key.gsi1pk, key.gsi3pk].every((pk) => pk === undefined || pk.endsWith(shard))
      );
    },
  } satisfies KeyShapes,
};

// The consultation in a comment's or group's key is checked against the listing's own (its partition).
const COMMENT_PK = /^COMMENTS#([^#]+)#(\d+)$/;
const GROUP_INDEX = new RegExp(`^CGROUP#([^#]+)#${source(GROUP_KEY)}$`);

/** A comment, in one of its consultation's partitions, and on gsi1 with its campaign group. */
export const commentItem = {
  keys: (c: StoredComment) => {
    const { pk, sk } = keys.comment(c.consultationId, c.reference);
    return { pk, sk, gsi1pk: keys.commentGroupIndex(c.consultationId, c.groupKey), gsi1sk: c.reference };
  },
  shapes: {
    patterns: { pk: COMMENT_PK, sk: REFERENCE, gsi1pk: GROUP_INDEX, gsi1sk: REFERENCE },
    // The partition is the reference's; the group is of the same consultation.
    agree: (key) => {
      const [, consultation, partition] = COMMENT_PK.exec(key.pk ?? '') ?? [];
      if (consultation === undefined || partition !== String(commentPartition(key.sk ?? ''))) return false;
      if (key.gsi1sk !== undefined && key.gsi1sk !== key.sk) return false;
      return key.gsi1pk === undefined || GROUP_INDEX.exec(key.gsi1pk)?.[1] === consultation;
    },
  } satisfies KeyShapes,
};

/** A campaign group of a consultation (table only: read by key and by the groups' partition). */
export const commentGroupItem = {
  keys: (consultationId: string, groupKey: string) => keys.commentGroup(consultationId, groupKey),
  shapes: {
    patterns: { pk: /^GROUPS#[^#]+$/, sk: GROUP_KEY },
  } satisfies KeyShapes,
};

/**
 * A proposal: on gsi1 with its entity's (by creation), and on gsi3 (sparse) from when its supports
 * reach the threshold until it becomes a case.
 */
export const proposalItem = {
  toConvert: (p: Pick<ProposalRecord, 'id' | 'reachedAt' | 'radicado' | 'failedAt'>): IndexKey | undefined =>
    p.reachedAt !== undefined && p.radicado === undefined && p.failedAt === undefined
      ? {
          partition: keys.proposalsToConvert(proposalShard(p.id)),
          sort: keys.proposalsToConvertSort(p.reachedAt, p.id),
        }
      : undefined,
  keys: (p: ProposalRecord) => {
    const toConvert = proposalItem.toConvert(p);
    return {
      ...keys.proposal(p.id),
      gsi1pk: keys.proposals(p.entityId),
      gsi1sk: keys.proposalsSort(p.createdAt, p.id),
      ...(toConvert ? { gsi3pk: toConvert.partition, gsi3sk: toConvert.sort } : {}),
    };
  },
  shapes: {
    patterns: {
      pk: new RegExp(`^PROPOSAL#${source(PROPOSAL_ID)}$`),
      sk: /^PROPOSAL$/,
      gsi1pk: /^PROPOSALS#[^#]+$/,
      gsi1sk: new RegExp(`^${ISO_INSTANT}#`),
      gsi3pk: /^PROPOSALS#TO_CONVERT#\d{1,2}$/,
      gsi3sk: new RegExp(`^${ISO_INSTANT}#`),
    },
    agree: (key) => positionsName(key, key.pk?.slice('PROPOSAL#'.length) ?? ''),
  } satisfies KeyShapes,
};

/**
 * The e-participation adapters (see deps.ts): consultations, their comments, campaign groups and
 * counters, and proposals. Apart so that the case functions never import these stores and the
 * schemas their modules build.
 */

import { DynamoCampaignGroupStore } from '#adapters/dynamodb/campaignGroupStore.ts';
import { DynamoCommentStore } from '#adapters/dynamodb/commentStore.ts';
import { DynamoConsultationCounters } from '#adapters/dynamodb/consultationCounters.ts';
import { DynamoConsultationStore } from '#adapters/dynamodb/consultationStore.ts';
import { DynamoProposalStore } from '#adapters/dynamodb/proposalStore.ts';
import { SqsQueue } from '#adapters/sqs/queue.ts';
import type { CommentMessage } from '#domain/participation/comment.ts';
import { required } from '#shared/config.ts';
import { db, once, sqsClient } from './deps.ts';

export const proposals = once(() => new DynamoProposalStore(db(), required('TABLE_NAME')));
export const consultations = once(() => new DynamoConsultationStore(db(), required('TABLE_NAME')));
export const comments = once(() => new DynamoCommentStore(db(), required('TABLE_NAME')));
export const campaignGroups = once(() => new DynamoCampaignGroupStore(db(), required('TABLE_NAME')));
export const consultationCounters = once(() => new DynamoConsultationCounters(db(), required('TABLE_NAME')));
export const participationQueue = once(
  () => new SqsQueue<CommentMessage>(sqsClient(), required('PARTICIPATION_QUEUE_URL')),
);

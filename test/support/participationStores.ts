/** The e-participation stores on a table, as the composition root (functions/participationDeps.ts) makes them. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoCampaignGroupStore } from '#adapters/dynamodb/campaignGroupStore.ts';
import { DynamoCommentStore } from '#adapters/dynamodb/commentStore.ts';
import { DynamoConsultationCounters } from '#adapters/dynamodb/consultationCounters.ts';
import { DynamoConsultationStore } from '#adapters/dynamodb/consultationStore.ts';

export interface ParticipationStores {
  consultations: DynamoConsultationStore;
  comments: DynamoCommentStore;
  groups: DynamoCampaignGroupStore;
  counters: DynamoConsultationCounters;
}

export function participationStores(db: DynamoDBDocumentClient, table: string): ParticipationStores {
  return {
    consultations: new DynamoConsultationStore(db, table),
    comments: new DynamoCommentStore(db, table),
    groups: new DynamoCampaignGroupStore(db, table),
    counters: new DynamoConsultationCounters(db, table),
  };
}

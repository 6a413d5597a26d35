/**
 * Consultations in the single table: pk=CONSULTATION#<id> sk=CONSULTATION, versioned; on gsi1 once
 * not a draft, on gsi3 while open (by closesAt) and while their grouping is pending (by closedAt),
 * each index over CONSULTATION_SHARDS keys read at once and merged: participationItems.ts. Their
 * comments, campaign groups and counters have stores of their own.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Consultation } from '#domain/participation/consultation.ts';
import type { Page } from '#ports/index.ts';
import type { ConsultationStore } from '#ports/participation.ts';
import { CONSULTATION_SHARDS, itemOf, keys, shardKeys, withoutKeys } from './keys.ts';
import { consultationItem } from './participationItems.ts';
import { Table } from './table.ts';

const utc = (instant: string) => new Date(instant).toISOString();
const consultationOf = (item: Record<string, unknown>) => withoutKeys<Consultation>(item);

export class DynamoConsultationStore implements ConsultationStore {
  private readonly items: Table;

  constructor(db: DynamoDBDocumentClient, table: string) {
    this.items = new Table(db, table);
  }

  create(c: Consultation): Promise<void> {
    return this.items.create(itemOf(consultationItem.keys(c), c));
  }

  async get(id: string): Promise<Consultation | undefined> {
    const item = await this.items.get(keys.consultation(id), { consistent: true });
    return item && consultationOf(item);
  }

  save(next: Consultation): Promise<boolean> {
    return this.items.putIf(itemOf(consultationItem.keys(next), next), {
      expression: 'version = :previous',
      values: { ':previous': next.version - 1 },
    });
  }

  async listPublic(page: { limit: number; cursor?: string }): Promise<Page<Consultation>> {
    const out = await this.items.pageAcross(
      { index: 'gsi1', descending: true, limit: page.limit },
      shardKeys(CONSULTATION_SHARDS, keys.consultationsIndex),
      consultationItem.shapes,
      page.cursor,
    );
    return { ...out, items: (await this.items.whole('gsi1', out.items)).map(consultationOf) };
  }

  listOpenClosingBefore(before: string, limit: number): Promise<string[]> {
    const open = { index: 'gsi3', sort: { below: utc(before) }, limit } as const;
    return this.items.valuesAcross(open, shardKeys(CONSULTATION_SHARDS, keys.openConsultations), 'id');
  }

  listGroupingDue(limit: number): Promise<string[]> {
    const due = shardKeys(CONSULTATION_SHARDS, keys.groupingDue);
    return this.items.valuesAcross({ index: 'gsi3', limit }, due, 'id');
  }
}

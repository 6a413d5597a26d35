/**
 * A consultation's campaign groups: pk=GROUPS#<id> sk=<groupKey> (size, section, stance,
 * exemplar), groups of two or more, tallied after the close (grouping.ts).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CommentGroup } from '#domain/participation/grouping.ts';
import type { Page } from '#ports/index.ts';
import type { CampaignGroupStore } from '#ports/participation.ts';
import { encodeCursor, keys } from './keys.ts';
import { commentGroupItem } from './participationItems.ts';
import { type Item, Table } from './table.ts';

/** Queries one group listing may make (each reads up to 1 MB of the groups' partition). */
const MAX_GROUP_READS = 8;
/** Group writes in flight while a tally is stored. */
const PUTS_IN_FLIGHT = 16;

function groupOf(item: Item): CommentGroup {
  return {
    key: String(item.sk),
    sectionId: String(item.sectionId),
    stance: item.stance as CommentGroup['stance'],
    size: Number(item.size ?? 0),
    exemplar: String(item.exemplar),
  };
}

const tableKey = (item: Item) => ({ pk: String(item.pk), sk: String(item.sk) });

export class DynamoCampaignGroupStore implements CampaignGroupStore {
  private readonly items: Table;

  constructor(db: DynamoDBDocumentClient, table: string) {
    this.items = new Table(db, table);
  }

  async put(consultationId: string, epoch: number, groups: readonly CommentGroup[]): Promise<boolean> {
    // Conditional puts, not a batch: an overtaken tally must not overwrite a newer one's sizes
    // (a newer tally saw every comment of an older one, so it stores every group the older has).
    const newerOrSame = {
      expression: 'attribute_not_exists(pk) OR #epoch <= :epoch',
      names: { '#epoch': 'epoch' },
      values: { ':epoch': epoch },
    };
    let next = 0;
    let stale = false;
    await Promise.all(
      Array.from({ length: Math.min(PUTS_IN_FLIGHT, groups.length) }, async () => {
        while (!stale && next < groups.length) {
          const g = groups[next++]!;
          const item = {
            ...commentGroupItem.keys(consultationId, g.key),
            sectionId: g.sectionId,
            stance: g.stance,
            size: g.size,
            exemplar: g.exemplar,
            epoch,
          };
          if (!(await this.items.putIf(item, newerOrSame))) stale = true;
        }
      }),
    );
    return !stale;
  }

  async list(
    consultationId: string,
    page: { limit: number; cursor?: string; minSize: number },
  ): Promise<Page<CommentGroup>> {
    const groups = keys.commentGroups(consultationId);
    const items: CommentGroup[] = [];
    let from: Item | undefined = this.items.startOf(
      { partition: groups },
      commentGroupItem.shapes,
      page.cursor,
    );
    // Groups of one are most of them: read on until the page is full or the groups end, but at
    // most MAX_GROUP_READS queries a request (a short page then comes with its cursor).
    let reads = 0;
    do {
      reads++;
      const out = await this.items.query(
        {
          partition: groups,
          filter: {
            expression: '#size >= :min',
            names: { '#size': 'size' },
            values: { ':min': page.minSize },
          },
          limit: Math.max(page.limit - items.length, 100),
        },
        from,
      );
      for (const item of out.items) {
        if (items.length < page.limit) {
          items.push(groupOf(item));
          from = tableKey(item);
        } else break;
      }
      if (items.length >= page.limit) break;
      from = out.last ? tableKey(out.last) : undefined;
    } while (from && reads < MAX_GROUP_READS);
    return { items, ...(from ? { cursor: encodeCursor(from) } : {}) };
  }

  async get(consultationId: string, groupKeys: readonly string[]): Promise<Map<string, CommentGroup>> {
    const wanted = [...new Set(groupKeys)].map((k) => commentGroupItem.keys(consultationId, k));
    const found = await this.items.batchGet(wanted);
    return new Map(found.map((item) => [String(item.sk), groupOf(item)]));
  }
}

/**
 * Notices published by aviso (CPACA art. 69): under their case, once per source, kept for good, and
 * listed per entity on gsi1 by `until` (infra/catalog.ts). No `type`: no pipe passes them (ADR 0002).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { RADICADO_PATTERN } from '#domain/case/radicado.ts';
import type { PublicNotice } from '#domain/publication.ts';
import { InvalidCursorError } from '#ports/index.ts';
import type { PublicationStore } from '#ports/notifications.ts';
import { encodeCursor, keys } from './keys.ts';

const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk'] as const;
const RADICADO = RADICADO_PATTERN.source.replace(/^\^|\$$/g, '');
const SORT = new RegExp(`^\\d{4}-\\d{2}-\\d{2}#\\d{4}-\\d{2}-\\d{2}T[0-9:.]+Z#(${RADICADO})$`);

/**
 * A notice's text is kept as `noticeText`: gsi1 projects it for the public listing, and `text` would
 * also copy every comment's (comments are on gsi1 too). infra/catalog.ts, docs/adr/0020.
 */
function stored(notice: PublicNotice): Record<string, unknown> {
  const { text, ...rest } = notice;
  return { ...rest, noticeText: text };
}

function strip(item: Record<string, unknown>): PublicNotice {
  const { noticeText, ...copy } = item;
  for (const k of KEY_ATTRIBUTES) delete copy[k];
  // A notice published before the rename keeps its `text` (read by key; not on the index).
  return (noticeText === undefined ? copy : { ...copy, text: noticeText }) as unknown as PublicNotice;
}

/** The source sort key a notice's id names (`<radicado>/<source sk>`). */
function sourceOf(notice: PublicNotice): string {
  const prefix = `${notice.radicado}/`;
  if (!notice.id.startsWith(prefix) || notice.id.length === prefix.length) {
    throw new Error(`notice id ${notice.id} does not name a source of ${notice.radicado}`);
  }
  return notice.id.slice(prefix.length);
}

/** A listing cursor back as its key, or InvalidCursorError (it is client input). */
function decodeCursor(cursor: string | undefined, entityId: string): Record<string, string> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const key = v as Record<string, unknown>;
      const sort = typeof key.gsi1sk === 'string' ? SORT.exec(key.gsi1sk) : null;
      const ok =
        Object.keys(key).length === KEY_ATTRIBUTES.length &&
        sort !== null &&
        key.pk === `CASE#${sort[1]}` &&
        typeof key.sk === 'string' &&
        /^PUBLICATION#[A-Za-z0-9#_-]{1,120}$/.test(key.sk) &&
        key.gsi1pk === keys.publications(entityId);
      if (ok) return key as Record<string, string>;
    }
  } catch {
    // fall through
  }
  throw new InvalidCursorError('cursor is not one this API gave for this listing');
}

export class DynamoPublicationStore implements PublicationStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async publish(notice: PublicNotice): Promise<PublicNotice> {
    const key = keys.publication(notice.radicado, sourceOf(notice));
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...key,
            gsi1pk: keys.publications(notice.entityId),
            gsi1sk: keys.publicationsSort(notice.until, notice.publishedAt, notice.radicado),
            ...stored(notice),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return notice;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // Published by an attempt that died before recording it: that one stands, with its dates.
      const out = await this.db.send(
        new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }),
      );
      if (!out.Item) throw error;
      return strip(out.Item);
    }
  }

  async inForce(
    entityId: string,
    day: string,
    page: { limit: number; cursor?: string },
  ): Promise<{ items: PublicNotice[]; cursor?: string }> {
    const start = decodeCursor(page.cursor, entityId);
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'gsi1',
        // `until` leads the sort key: every notice still shown on `day` sorts at or after it.
        KeyConditionExpression: 'gsi1pk = :notices AND gsi1sk >= :day',
        FilterExpression: 'publishedOn <= :day',
        ExpressionAttributeValues: { ':notices': keys.publications(entityId), ':day': day },
        ScanIndexForward: false,
        Limit: page.limit,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    const cursor = encodeCursor(out.LastEvaluatedKey);
    return { items: (out.Items ?? []).map(strip), ...(cursor ? { cursor } : {}) };
  }
}

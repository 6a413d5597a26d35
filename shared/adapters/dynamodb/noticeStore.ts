/**
 * The notice marks and the sweeper's alerts, in the single table under the case's partition:
 *  - alert ........ pk=CASE#<radicado>  sk=ALERT#<kind>#<date>    type=alert (the notifications pipe passes it)
 *  - notice mark .. pk=CASE#<radicado>  sk=NOTICE#<source sk>     (no `type`: no pipe passes it)
 *      pending (written with its source) → sending (claimed) → sent | skipped; on the notice outbox
 *      (gsi2) until sent or skipped (noticeMarkItem). Why: docs/adr/0011-notice-outbox.md
 * Neither carries personal data (the alert: clock facts and the staff audience; the mark: state,
 * notice kind, provider message id).
 */

import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '#domain/case/audit.ts';
import type { CaseAlert } from '#domain/case/watch.ts';
import type { NoticeFailure } from '#domain/channels.ts';
import { ALERT_ITEM_TYPE } from '#domain/noticeTypes.ts';
import type {
  ClaimOutcome,
  EventNoticeMark,
  NoticeCompletion,
  NoticeMark,
  NoticeStore,
} from '#ports/notifications.ts';
import { keys, NOTICE_OUTBOX_SHARDS, noticeMarkItem, withoutKeys } from './keys.ts';
import { conditionFailed, Table } from './table.ts';

const caseKey = (radicado: string, sk: string) => ({ pk: keys.case(radicado).pk, sk });
const markKey = noticeMarkItem.key;

export class DynamoNoticeStore implements NoticeStore {
  private readonly items: Table;

  async eventMarks(radicado: string): Promise<EventNoticeMark[]> {
    const out: EventNoticeMark[] = [];
    const marks = {
      partition: keys.case(radicado).pk,
      sort: { beginsWith: 'NOTICE#EVENT#' },
      consistent: true,
    };
    for await (const page of this.items.pages(marks)) {
      for (const item of page.items) {
        out.push({
          seq: Number(String(item.sk).slice('NOTICE#EVENT#'.length)),
          mark: withoutKeys<NoticeMark>(item, 'radicado'),
        });
      }
    }
    return out;
  }

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {
    this.items = new Table(db, table);
  }

  async event(radicado: string, seq: number): Promise<AuditEvent | undefined> {
    const item = await this.items.get(keys.event(radicado, seq), { consistent: true });
    return item && withoutKeys<AuditEvent>(item);
  }

  async alert(radicado: string, sk: string): Promise<CaseAlert | undefined> {
    const item = await this.items.get(caseKey(radicado, sk), { consistent: true });
    return item && withoutKeys<CaseAlert>(item, 'type');
  }

  async existingAlerts(wanted: readonly { radicado: string; sk: string }[]): Promise<Set<string>> {
    const found = await this.items.batchGet(
      wanted.map((w) => caseKey(w.radicado, w.sk)),
      { attributes: ['pk', 'sk'] },
    );
    const keysFound = new Set(found.map((item) => `${String(item.pk)}|${String(item.sk)}`));
    return new Set(
      wanted
        .filter((w) => keysFound.has(`${keys.case(w.radicado).pk}|${w.sk}`))
        .map((w) => `${w.radicado}|${w.sk}`),
    );
  }

  /** The alert and its pending notice mark, at once; false when the alert existed. */
  async putAlert(alert: CaseAlert, sk: string): Promise<boolean> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { ...caseKey(alert.radicado, sk), type: ALERT_ITEM_TYPE, ...alert },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: this.table,
                Item: noticeMarkItem.pending(alert.radicado, sk, ALERT_ITEM_TYPE, alert.at),
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (
        error instanceof TransactionCanceledException &&
        error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
      ) {
        return false;
      }
      throw error;
    }
  }

  async unnotified(before: string, limit: number): Promise<{ radicado: string; sk: string }[]> {
    const shards = await Promise.all(
      Array.from({ length: NOTICE_OUTBOX_SHARDS }, (_, shard) =>
        this.items.query({
          index: 'gsi2',
          partition: keys.noticeOutbox(shard),
          sort: { below: before },
          attributes: ['gsi2sk', 'radicado', 'sk'],
          limit,
        }),
      ),
    );
    return shards
      .flatMap((out) => out.items)
      .sort((a, b) => (String(a.gsi2sk) < String(b.gsi2sk) ? -1 : 1))
      .slice(0, limit)
      .map((item) => ({ radicado: String(item.radicado), sk: String(item.sk).slice('NOTICE#'.length) }));
  }

  async mark(radicado: string, sourceSk: string): Promise<NoticeMark | undefined> {
    const item = await this.items.get(markKey(radicado, sourceSk), { consistent: true });
    return item && withoutKeys<NoticeMark>(item, 'radicado');
  }

  async claim(
    radicado: string,
    sourceSk: string,
    claim: {
      token: string;
      kind: string;
      at: string;
      staleBefore: string;
      failures?: readonly NoticeFailure[] | undefined;
    },
  ): Promise<ClaimOutcome> {
    // A claim stays on the outbox: a sender that dies leaves it for the sweep to relay.
    const claimed = await this.items.putIf(
      {
        ...markKey(radicado, sourceSk),
        ...noticeMarkItem.outbox(radicado, sourceSk, claim.at),
        radicado,
        state: 'sending',
        kind: claim.kind,
        at: claim.at,
        token: claim.token,
        ...(claim.failures?.length ? { failures: claim.failures } : {}),
      },
      {
        expression: 'attribute_not_exists(pk) OR #state = :pending OR (#state = :sending AND #at < :stale)',
        names: { '#state': 'state', '#at': 'at' },
        values: { ':pending': 'pending', ':sending': 'sending', ':stale': claim.staleBefore },
      },
    );
    if (claimed) return 'claimed';
    const now = await this.mark(radicado, sourceSk);
    return now?.state === 'sending' ? 'busy' : 'done';
  }

  async complete(radicado: string, sourceSk: string, mark: NoticeCompletion): Promise<void> {
    const { token: _token, ...fields } = mark;
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...markKey(radicado, sourceSk), radicado, ...fields },
          // A skip is recorded once (over its pending mark, or its own claim when it had one:
          // undeliverable); a sent notice overwrites its own claim (or a stale one's). Either way
          // the mark leaves the outbox (no gsi2 attributes).
          ...(mark.state === 'skipped'
            ? {
                ConditionExpression: mark.token
                  ? 'attribute_not_exists(pk) OR #state = :pending OR #token = :token'
                  : 'attribute_not_exists(pk) OR #state = :pending',
                ExpressionAttributeNames: { '#state': 'state', ...(mark.token ? { '#token': 'token' } : {}) },
                ExpressionAttributeValues: {
                  ':pending': 'pending',
                  ...(mark.token ? { ':token': mark.token } : {}),
                },
              }
            : {}),
        }),
      );
    } catch (error) {
      if (!conditionFailed(error)) throw error;
    }
  }

  async release(
    radicado: string,
    sourceSk: string,
    token: string,
    pending: { kind: string; at: string; failures?: readonly NoticeFailure[] | undefined },
  ): Promise<void> {
    // Pending again (on the outbox, from now): the queue's retry or the sweep sends it.
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...noticeMarkItem.pending(radicado, sourceSk, pending.kind, pending.at),
            ...(pending.failures?.length ? { failures: pending.failures } : {}),
          },
          ConditionExpression: '#state = :sending AND #token = :token',
          ExpressionAttributeNames: { '#state': 'state', '#token': 'token' },
          ExpressionAttributeValues: { ':sending': 'sending', ':token': token },
        }),
      );
    } catch (error) {
      if (!conditionFailed(error)) throw error;
    }
  }

  async delivered(
    radicado: string,
    sourceSk: string,
    report: { messageId: string; at: string },
  ): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: markKey(radicado, sourceSk),
          UpdateExpression: 'SET deliveredAt = :at',
          // `messageId` joins the ids of a notice sent in several messages: one report is enough.
          ConditionExpression:
            '#state = :sent AND contains(messageId, :id) AND attribute_not_exists(deliveredAt)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':sent': 'sent', ':id': report.messageId, ':at': report.at },
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }

  async failed(
    radicado: string,
    sourceSk: string,
    failure: NoticeFailure,
    held: { token: string } | { messageId: string },
  ): Promise<boolean> {
    const mark = await this.mark(radicado, sourceSk);
    if (mark === undefined) return false;
    // Pending again, on the outbox from now, with no delivery: the next attempt takes the next channel.
    const item = {
      ...noticeMarkItem.pending(radicado, sourceSk, mark.kind, failure.at),
      failures: [...(mark.failures ?? []), { channel: failure.channel, at: failure.at }],
    };
    return this.items.putIf(
      item,
      'token' in held
        ? {
            expression: '#state = :sending AND #token = :token',
            names: { '#state': 'state', '#token': 'token' },
            values: { ':sending': 'sending', ':token': held.token },
          }
        : {
            expression: '#state = :sent AND #channel = :channel AND contains(messageId, :id)',
            names: { '#state': 'state', '#channel': 'channel' },
            values: { ':sent': 'sent', ':channel': failure.channel, ':id': held.messageId },
          },
    );
  }
}

/**
 * The notice marks and the sweeper's alerts, in the single table under the case's partition:
 *  - alert ........ pk=CASE#<radicado>  sk=ALERT#<kind>#<date>    type=alert (the notifications pipe passes it)
 *  - notice mark .. pk=CASE#<radicado>  sk=NOTICE#<source sk>     (no `type`: no pipe passes it)
 * Neither carries personal data (the alert: clock facts and the staff audience; the mark: state,
 * notice kind, provider message id).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '#domain/case/audit.ts';
import type { CaseAlert } from '#domain/case/watch.ts';
import { ALERT_ITEM_TYPE } from '#domain/notices.ts';
import type { ClaimOutcome, NoticeMark, NoticeStore } from '#ports/notifications.ts';
import { keys } from './keys.ts';

const caseKey = (radicado: string, sk: string) => ({ pk: keys.case(radicado).pk, sk });
const markKey = (radicado: string, sourceSk: string) => caseKey(radicado, `NOTICE#${sourceSk}`);

function withoutKeys<T>(item: Record<string, unknown>, ...more: string[]): T {
  const copy = { ...item };
  for (const k of ['pk', 'sk', ...more]) delete copy[k];
  return copy as T;
}

export class DynamoNoticeStore implements NoticeStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async event(radicado: string, seq: number): Promise<AuditEvent | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.event(radicado, seq), ConsistentRead: true }),
    );
    return out.Item ? withoutKeys<AuditEvent>(out.Item) : undefined;
  }

  async alert(radicado: string, sk: string): Promise<CaseAlert | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: caseKey(radicado, sk), ConsistentRead: true }),
    );
    return out.Item ? withoutKeys<CaseAlert>(out.Item, 'type') : undefined;
  }

  async existingAlerts(wanted: readonly { radicado: string; sk: string }[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < wanted.length; i += 100) {
      let request:
        | Record<string, { Keys: Record<string, unknown>[]; ProjectionExpression: string }>
        | undefined = {
        [this.table]: {
          Keys: wanted.slice(i, i + 100).map((w) => caseKey(w.radicado, w.sk)),
          ProjectionExpression: 'pk, sk',
        },
      };
      for (let attempt = 0; request && Object.keys(request).length > 0; attempt++) {
        if (attempt > 0) await new Promise((wake) => setTimeout(wake, Math.min(1000, 20 * 2 ** attempt)));
        const out = await this.db.send(new BatchGetCommand({ RequestItems: request }));
        for (const item of out.Responses?.[this.table] ?? [])
          found.add(`${String(item.pk)}|${String(item.sk)}`);
        request = out.UnprocessedKeys as typeof request;
      }
    }
    return new Set(
      wanted
        .filter((w) => found.has(`${keys.case(w.radicado).pk}|${w.sk}`))
        .map((w) => `${w.radicado}|${w.sk}`),
    );
  }

  async putAlert(alert: CaseAlert, sk: string): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...caseKey(alert.radicado, sk), type: ALERT_ITEM_TYPE, ...alert },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async mark(radicado: string, sourceSk: string): Promise<NoticeMark | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: markKey(radicado, sourceSk), ConsistentRead: true }),
    );
    return out.Item ? withoutKeys<NoticeMark>(out.Item, 'radicado') : undefined;
  }

  async claim(
    radicado: string,
    sourceSk: string,
    claim: { token: string; kind: string; at: string; staleBefore: string },
  ): Promise<ClaimOutcome> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...markKey(radicado, sourceSk),
            radicado,
            state: 'sending',
            kind: claim.kind,
            at: claim.at,
            token: claim.token,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR (#state = :sending AND #at < :stale)',
          ExpressionAttributeNames: { '#state': 'state', '#at': 'at' },
          ExpressionAttributeValues: { ':sending': 'sending', ':stale': claim.staleBefore },
        }),
      );
      return 'claimed';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const now = await this.mark(radicado, sourceSk);
      return now?.state === 'sending' ? 'busy' : 'done';
    }
  }

  async complete(
    radicado: string,
    sourceSk: string,
    mark: {
      state: 'sent' | 'skipped';
      kind: string;
      at: string;
      token?: string;
      messageId?: string;
      reason?: string;
    },
  ): Promise<void> {
    const { token: _token, ...fields } = mark;
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...markKey(radicado, sourceSk), radicado, ...fields },
          // A skip is recorded once (over its own claim when it had one: undeliverable); a sent
          // notice overwrites its own claim (or a stale one's).
          ...(mark.state === 'skipped'
            ? mark.token
              ? {
                  ConditionExpression: 'attribute_not_exists(pk) OR #token = :token',
                  ExpressionAttributeNames: { '#token': 'token' },
                  ExpressionAttributeValues: { ':token': mark.token },
                }
              : { ConditionExpression: 'attribute_not_exists(pk)' }
            : {}),
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async release(radicado: string, sourceSk: string, token: string): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.table,
          Key: markKey(radicado, sourceSk),
          ConditionExpression: '#state = :sending AND #token = :token',
          ExpressionAttributeNames: { '#state': 'state', '#token': 'token' },
          ExpressionAttributeValues: { ':sending': 'sending', ':token': token },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}

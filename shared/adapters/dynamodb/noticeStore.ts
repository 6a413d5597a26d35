/**
 * The notice marks and the sweeper's alerts, in the single table under the case's partition:
 *  - alert ........ pk=CASE#<radicado>  sk=ALERT#<kind>#<date>    type=alert (the notifications pipe passes it)
 *  - notice mark .. pk=CASE#<radicado>  sk=NOTICE#<source sk>     (no `type`: no pipe passes it)
 * Neither carries personal data (the alert: clock facts and the staff audience; the mark: state,
 * notice kind, provider message id).
 */
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '#domain/case/audit.ts';
import type { CaseAlert } from '#domain/case/watch.ts';
import { ALERT_ITEM_TYPE } from '#domain/notices.ts';
import type {
  ClaimOutcome,
  EventNoticeMark,
  NoticeCompletion,
  NoticeMark,
  NoticeStore,
} from '#ports/notifications.ts';
import { keys, withoutKeys } from './keys.ts';
import { conditionFailed, Table } from './table.ts';

const caseKey = (radicado: string, sk: string) => ({ pk: keys.case(radicado).pk, sk });
const markKey = (radicado: string, sourceSk: string) => caseKey(radicado, `NOTICE#${sourceSk}`);

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

  putAlert(alert: CaseAlert, sk: string): Promise<boolean> {
    return this.items.putIf({ ...caseKey(alert.radicado, sk), type: ALERT_ITEM_TYPE, ...alert });
  }

  async mark(radicado: string, sourceSk: string): Promise<NoticeMark | undefined> {
    const item = await this.items.get(markKey(radicado, sourceSk), { consistent: true });
    return item && withoutKeys<NoticeMark>(item, 'radicado');
  }

  async claim(
    radicado: string,
    sourceSk: string,
    claim: { token: string; kind: string; at: string; staleBefore: string },
  ): Promise<ClaimOutcome> {
    const claimed = await this.items.putIf(
      {
        ...markKey(radicado, sourceSk),
        radicado,
        state: 'sending',
        kind: claim.kind,
        at: claim.at,
        token: claim.token,
      },
      {
        expression: 'attribute_not_exists(pk) OR (#state = :sending AND #at < :stale)',
        names: { '#state': 'state', '#at': 'at' },
        values: { ':sending': 'sending', ':stale': claim.staleBefore },
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
      if (!conditionFailed(error)) throw error;
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
      if (!conditionFailed(error)) throw error;
    }
  }
}

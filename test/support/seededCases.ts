/**
 * The seeded history of cases (test/unit/transparency/scenario.ts) stored in a local system as the
 * case store writes them (their entities' radicado counters too), with each answer's notice as the notifier leaves it (sent by e-mail,
 * delivered two hours later), then counted by the real Counting pipe.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { caseItem, itemOf, keys, noticeMarkItem } from '#adapters/dynamodb/keys.ts';
import { parseRadicado } from '#domain/case/radicado.ts';
import { bogotaDay } from '#domain/clock/dates.ts';
import { DEFAULT_SEMAFORO } from '#domain/entity.ts';
import type { LocalSystem } from '#infra/local/system.ts';
import { seededHistory } from '../unit/transparency/scenario.ts';

export async function storeSeededHistory(system: LocalSystem) {
  const history = await seededHistory();
  const stored = history.w.cases.all();
  /** The day each answered case's notice was delivered (its register `notified`). */
  const delivered = new Map<string, string>();
  const put = (Item: Record<string, unknown>) =>
    system.ddb.send(new PutCommand({ TableName: system.tableName, Item }));
  for (const c of stored) {
    const thresholds = (await history.w.entities.get(c.entityId))?.semaforo ?? DEFAULT_SEMAFORO;
    await put(itemOf(caseItem.keys(c, thresholds), c));
  }
  // Each entity's radicado counter as its filings left it, so that a case filed next follows on.
  const last = new Map<string, number>();
  for (const c of stored) {
    const { entityId, year, seq } = parseRadicado(c.radicado)!;
    const key = `${entityId}|${year}`;
    last.set(key, Math.max(last.get(key) ?? 0, seq));
  }
  for (const [key, seq] of last) {
    const [entityId, year] = key.split('|') as [string, string];
    await put({ ...keys.counter(entityId, Number(year)), last: seq });
  }
  for (const c of stored.filter((c) => c.answer)) {
    const deliveredAt = new Date(Date.parse(c.answer!.at) + 2 * 3_600_000).toISOString();
    delivered.set(c.radicado, bogotaDay(deliveredAt));
    await put({
      ...noticeMarkItem.key(c.radicado, 'EVENT#000009'),
      radicado: c.radicado,
      state: 'sent',
      kind: 'answered',
      channel: 'email',
      at: c.answer!.at,
      deliveredAt,
    });
  }
  await system.drain();
  return { ...history, stored, delivered };
}

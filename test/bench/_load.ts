/** What the benches that store many cases share: filing the one real case they clone, loading the clones. */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { LocalSystem } from '#infra/local/system.ts';

/** Files one case through the local API (a real filing: radicado, receipt, counter); its radicado. */
export async function fileThroughApi(system: LocalSystem, filing: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${system.baseUrl}/v1/cases`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(filing),
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`filing answered ${res.status}: ${text}`);
  return (JSON.parse(text) as { radicado: string }).radicado;
}

/** Loads items with BatchWriteItem, 25 a call, `concurrency` calls at once, retrying unprocessed. */
export async function batchLoad(
  system: LocalSystem,
  items: readonly Record<string, unknown>[],
  concurrency: number,
  tableName = system.tableName,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const batch = items.slice(next, next + 25);
        next += 25;
        let requests = batch.map((Item) => ({ PutRequest: { Item } }));
        for (let attempt = 0; requests.length > 0; attempt++) {
          if (attempt > 20) throw new Error('BatchWriteItem keeps leaving items unprocessed');
          const out = await system.ddb.send(
            new BatchWriteCommand({ RequestItems: { [tableName]: requests } }),
          );
          requests = (out.UnprocessedItems?.[tableName] ?? []) as typeof requests;
          if (requests.length > 0) await new Promise((r) => setTimeout(r, 10 * (attempt + 1)));
        }
      }
    }),
  );
}

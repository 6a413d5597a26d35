/** Loading a bench's items: BatchWriteItem, 25 a call, `concurrency` calls at once, retrying unprocessed. */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { LocalSystem } from '#infra/local/system.ts';

export async function batchLoad(
  system: LocalSystem,
  items: readonly Record<string, unknown>[],
  concurrency: number,
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
            new BatchWriteCommand({ RequestItems: { [system.tableName]: requests } }),
          );
          requests = (out.UnprocessedItems?.[system.tableName] ?? []) as typeof requests;
          if (requests.length > 0) await new Promise((r) => setTimeout(r, 10 * (attempt + 1)));
        }
      }
    }),
  );
}

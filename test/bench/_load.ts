/** What the benches that store many cases share: filing the one real case they clone, loading the clones. */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import type { LocalSystem } from '#infra/local/system.ts';

/** An SQS event of JSON message bodies from a local queue, as Lambda's event source delivers it. */
export function sqsEvent(bodies: readonly unknown[], queue: string, batch = 0): SQSEvent {
  return {
    Records: bodies.map((body, i) => ({
      messageId: `bench-${batch}-${i}`,
      receiptHandle: 'bench',
      body: JSON.stringify(body),
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: String(Date.now()),
        SenderId: 'bench',
        ApproximateFirstReceiveTimestamp: String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:us-east-1:000000000000:${queue}`,
      awsRegion: 'us-east-1',
    })),
  };
}

/** Routes a filed case with the real Route handler (its message, as the queue would deliver it). */
export async function routeThroughHandler(system: LocalSystem, radicado: string): Promise<void> {
  const outcome = (await system.invoke('Route', sqsEvent([{ radicado }], 'routing'))) as {
    batchItemFailures?: unknown[];
  };
  if ((outcome.batchItemFailures ?? []).length > 0) throw new Error(`routing ${radicado} failed`);
}

/** The one real petition the benches file (and then clone): every field a case keeps. */
export const BENCH_PETITION = {
  entityId: 'MINTIC',
  kind: 'petition',
  subject: 'Zona wifi de la vereda El Carmen',
  description:
    'Solicito información sobre la instalación de la zona wifi prometida para la vereda y las fechas previstas de conexión.',
  petitioner: {
    name: 'Ana Pérez Gómez',
    idType: 'CC',
    idNumber: '52123456',
    email: 'ana.perez@example.com',
    phone: '+57 300 123 4567',
  },
} as const;

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

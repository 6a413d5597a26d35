/**
 * `npm run bench -- participation`
 *
 * 1. Ingestion: comments per second written by the real Participation consumer (SQS batches of
 *    100 → conditional puts + campaign groups + one sharded-counter update per transaction) into
 *    DynamoDB Local, against bare BatchWriteItem of the very same comment items (keys and index
 *    attributes included), same concurrency, same run, alternating rounds. Target ≤ 1.5×.
 * 2. Results read: the public results of a consultation with BENCH_PARTICIPATION_STORED comments
 *    (default 100,000; set 1000000 for the figure — seeding takes minutes on DynamoDB
 *    Local) read from the counters (one BatchGet of the shards) vs a full recount of the stored
 *    comments, both timed in this run.
 *
 * BENCH_PARTICIPATION_COMMENTS (default 10,000 per round) and BENCH_PARTICIPATION_CONCURRENCY
 * (default 4 consumer batches of 100 in flight; the baseline gets as many items in flight: 16
 * BatchWriteItem calls of 25).
 */
import { BatchWriteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { DynamoConsultationStore } from '#adapters/dynamodb/consultationStore.ts';
import { keys } from '#adapters/dynamodb/keys.ts';
import { counterKey } from '#adapters/dynamodb/shardedCounter.ts';
import {
  authorHash,
  type CommentMessage,
  DEPARTMENTS,
  groupKey,
  newReference,
  STANCES,
  type StoredComment,
} from '#domain/participation/comment.ts';
import {
  type Consultation,
  ConsultationInputSchema,
  newConsultation,
} from '#domain/participation/consultation.ts';
import { buildResults, countComments } from '#domain/participation/results.ts';
import { seed } from '#infra/local/seed.ts';
import { type LocalSystem, startLocalSystem } from '#infra/local/system.ts';

const COMMENTS = Number(process.env.BENCH_PARTICIPATION_COMMENTS ?? 10_000);
const STORED = Number(process.env.BENCH_PARTICIPATION_STORED ?? 100_000);
const CONCURRENCY = Number(process.env.BENCH_PARTICIPATION_CONCURRENCY ?? 4);
const BATCH = 100;
const ROUNDS = 2;

type Item = Record<string, unknown>;
const f = (x: number) => x.toFixed(2);

async function openConsultation(system: LocalSystem): Promise<Consultation> {
  const now = new Date();
  const c = newConsultation(
    ConsultationInputSchema.parse({
      entityId: 'MINTIC',
      type: 'question',
      title: 'Bench',
      summary: 'Bench',
      sections: [1, 2, 3].map((n) => ({ title: `Pregunta ${n}`, body: '¿?' })),
      opensAt: new Date(now.getTime() - 60_000).toISOString(),
      closesAt: new Date(now.getTime() + 86_400_000).toISOString(),
    }),
    `MINTIC-C-${newReference().replace(/-/g, '').slice(0, 8)}`,
    'bench',
    now,
  );
  const open = { ...c, status: 'open' as const, openedAt: now.toISOString() };
  await new DynamoConsultationStore(system.ddb, system.tableName).create(open);
  return open;
}

/** `n` comments of a realistic mix: 20 % one campaign, the rest distinct, some with a department. */
function messages(consultationId: string, n: number): CommentMessage[] {
  return Array.from({ length: n }, (_, i) => ({
    type: 'comment',
    reference: newReference(),
    consultationId,
    sectionId: `s${(i % 3) + 1}`,
    stance: STANCES[i % 3]!,
    text:
      i % 5 === 0
        ? `No al cobro de la zona wifi, firma ${i}`
        : `Comentario ${i}: propongo que la zona wifi de la vereda ${i} funcione de ${i % 12} a ${(i % 12) + 8} horas.`,
    acceptedAt: new Date().toISOString(),
    author: { kind: 'device', hash: authorHash('device', consultationId, `device-${i}`) },
    ...(i % 4 === 0 ? { department: DEPARTMENTS[i % DEPARTMENTS.length] } : {}),
  }));
}

/** The comment item exactly as the store writes it. */
function item(m: CommentMessage): Item {
  const c: StoredComment = { ...m, groupKey: groupKey(m.sectionId, m.stance, m.text), version: 1 };
  return {
    ...keys.comment(c.consultationId, c.reference),
    ...c,
    gsi1pk: keys.commentGroupIndex(c.consultationId, c.groupKey),
    gsi1sk: c.reference,
  };
}

async function pool<T>(work: readonly T[], run: (w: T) => Promise<void>, width = CONCURRENCY): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < work.length) await run(work[next++]!);
    }),
  );
}

async function batchWrite(system: LocalSystem, items: readonly Item[]): Promise<void> {
  const chunks: Item[][] = [];
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25) as Item[]);
  await pool(
    chunks,
    async (chunk) => {
      let requests = chunk.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > 20) throw new Error('BatchWriteItem keeps leaving items unprocessed');
        const out = await system.ddb.send(
          new BatchWriteCommand({ RequestItems: { [system.tableName]: requests } }),
        );
        requests = (out.UnprocessedItems?.[system.tableName] ?? []) as typeof requests;
      }
    },
    (CONCURRENCY * BATCH) / 25,
  );
}

function sqsEvent(batch: readonly CommentMessage[], n: number): SQSEvent {
  return {
    Records: batch.map((m, i) => ({
      messageId: `bench-${n}-${i}`,
      receiptHandle: 'bench',
      body: JSON.stringify(m),
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: String(Date.now()),
        SenderId: 'bench',
        ApproximateFirstReceiveTimestamp: String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:participation',
      awsRegion: 'us-east-1',
    })),
  };
}

async function consume(system: LocalSystem, all: readonly CommentMessage[]): Promise<void> {
  const batches: CommentMessage[][] = [];
  for (let i = 0; i < all.length; i += BATCH) batches.push(all.slice(i, i + BATCH));
  let n = 0;
  await pool(batches, async (batch) => {
    const out = (await system.invoke('Participation', sqsEvent(batch, n++))) as {
      batchItemFailures: unknown[];
    };
    if (out.batchItemFailures.length > 0) throw new Error(`${out.batchItemFailures.length} records failed`);
  });
}

async function timed(work: () => Promise<void>): Promise<number> {
  const t = performance.now();
  await work();
  return performance.now() - t;
}

export default async function (): Promise<void> {
  const system = await startLocalSystem({ port: 0, pollers: false, schedulers: false, logLevel: 'ERROR' });
  try {
    await seed();
    const store = new DynamoConsultationStore(system.ddb, system.tableName);

    // ── 1. Ingestion: consumer vs bare BatchWriteItem of the same items ─────────────────────────
    const warm = await openConsultation(system);
    await consume(system, messages(warm.id, 500)); // module load, connections
    let consumerMs = 0;
    let bareMs = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const viaConsumer = await openConsultation(system);
      const viaBatch = await openConsultation(system);
      const a = messages(viaConsumer.id, COMMENTS);
      const b = messages(viaBatch.id, COMMENTS).map(item);
      if (round % 2 === 0) {
        consumerMs += await timed(() => consume(system, a));
        bareMs += await timed(() => batchWrite(system, b));
      } else {
        bareMs += await timed(() => batchWrite(system, b));
        consumerMs += await timed(() => consume(system, a));
      }
      const stored = await store.counters(viaConsumer.id, { consistent: true });
      const total = Object.entries(stored)
        .filter(([k]) => k.startsWith('c:'))
        .reduce((s, [, v]) => s + v, 0);
      if (total !== COMMENTS) throw new Error(`counters say ${total} comments, ${COMMENTS} were sent`);
    }
    const n = COMMENTS * ROUNDS;
    const consumerRate = (n / consumerMs) * 1000;
    const bareRate = (n / bareMs) * 1000;
    console.log(
      `ingestion (${n} comments, ${CONCURRENCY * BATCH} items in flight): consumer ${f(consumerRate)}/s, bare BatchWriteItem ${f(bareRate)}/s → ${f(bareRate / consumerRate)}× (target ≤ 1.5×)`,
    );

    // ── 2. Results with STORED comments: counters vs a full recount ────────────────────────────
    const big = await openConsultation(system);
    const all = messages(big.id, STORED);
    const t0 = performance.now();
    await batchWrite(system, all.map(item));
    // Their counters, as the consumer would have left them (summed into one shard here).
    const counts = countComments(all);
    const attributes = Object.fromEntries(Object.entries(counts).map(([k, v]) => [`c:${k}`, v]));
    await system.ddb.send(
      new PutCommand({
        TableName: system.tableName,
        Item: { ...counterKey(keys.consultationCounters(big.id), 0), ...attributes },
      }),
    );
    console.log(`  (seeded ${STORED} comments in ${f((performance.now() - t0) / 1000)} s)`);
    const fromCounters: number[] = [];
    for (let i = 0; i < 20; i++) {
      fromCounters.push(await timed(async () => void buildResults(big, await store.counters(big.id), 5)));
    }
    fromCounters.sort((x, y) => x - y);
    let recounted: Record<string, number> = {};
    const recountMs = await timed(async () => {
      const stored: StoredComment[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.listComments(big.id, { limit: 5000, ...(cursor ? { cursor } : {}) });
        stored.push(...page.items);
        cursor = page.cursor;
      } while (cursor);
      recounted = countComments(stored);
    });
    if (JSON.stringify(Object.entries(recounted).sort()) !== JSON.stringify(Object.entries(counts).sort())) {
      throw new Error('the recount differs from the counters');
    }
    const median = fromCounters[Math.floor(fromCounters.length / 2)]!;
    console.log(
      `results with ${STORED} comments: from counters ${f(median)} ms (median of 20), full recount ${f(recountMs)} ms → ${f(recountMs / median)}× faster from counters`,
    );
  } finally {
    await system.stop();
  }
}

/**
 * `npm run bench -- participation`
 *
 * 1. Ingestion: comments per second written by the real Participation consumer (SQS batches of
 *    100 → BatchWriteItem while the consultation is open; counted from the table stream by the
 *    Counting pipe → Count, running meanwhile as it does in production) into
 *    DynamoDB Local, against bare BatchWriteItem of the very same comment items (keys and index
 *    attributes included), same items in flight, same run. Both paths are warmed first (DynamoDB
 *    Local's JVM is slow on its first few thousand writes of a kind); then ROUNDS rounds,
 *    alternating which path goes first, each giving its own ratio: the median ratio is the figure,
 *    with the spread (min–max), the CPU per comment of this process (the consumer runs in it) and
 *    of DynamoDB Local's JVM (less load-sensitive than wall time), and the load average.
 *    The comments are a realistic mix: 20 % one campaign (one group), the rest distinct texts
 *    (each its own group of one — the group key ignores numbers, so distinct texts differ in words).
 *    Target ≤ 1.5×. Two ratios: written (the consumer's work: the issue's figure) and written AND
 *    counted (until the pipe has counted the last comment: the counting's lag included). The bare
 *    writes are comments too, so the pipe counts them as well while they are timed: both paths
 *    bear the stream's load. The campaign groups' sizes are not kept live but tallied once after
 *    the close (grouping.ts): that tally is timed too, per comment, on the last round's consultation.
 *    Figures and what they led to: docs/adr/0004-counting-comments-from-stream.md
 * 2. Results read: the public results of a consultation with BENCH_PARTICIPATION_STORED comments
 *    (default 100,000; 1000000 for the issue's figure) read from the counters (one BatchGet of the
 *    shards) vs a full recount of the stored comments (every partition read, page by page), both
 *    timed in this run. The comments are seeded with bare BatchWriteItem, many calls in flight
 *    (BENCH_PARTICIPATION_SEED_CONCURRENCY, default 32), and counted by the system's own pipe
 *    (checked against what was written); the seeding time is printed (a million takes long:
 *    `BENCH_PARTICIPATION_ROUNDS=0 BENCH_PARTICIPATION_STORED=1000000` skips part 1).
 *
 * BENCH_PARTICIPATION_COMMENTS (default 4,000 per round and path), BENCH_PARTICIPATION_ROUNDS
 * (default 5) and BENCH_PARTICIPATION_CONCURRENCY (default 4 consumer batches of 100 in flight;
 * the baseline gets as many items in flight: 16 BatchWriteItem calls of 25).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { DynamoConsultationStore } from '#adapters/dynamodb/consultationStore.ts';
import { itemOf } from '#adapters/dynamodb/keys.ts';
import { commentItem } from '#adapters/dynamodb/participationItems.ts';
import { DEPARTMENTS } from '#domain/demographics.ts';
import {
  addDeltas,
  type CommentMessage,
  devicePseudonymText,
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
import { GroupTally } from '#domain/participation/grouping.ts';
import { buildResults, countComments } from '#domain/participation/results.ts';
import { seed } from '#infra/local/seed.ts';
import { type LocalSystem, startLocalSystem } from '#infra/local/system.ts';
import { testPseudonyms } from '#test/support/fakes/index.ts';
import { participationStores } from '#test/support/participationStores.ts';
import { sqsEvent } from './_load.ts';

const BENCH_KEYS = testPseudonyms('bench-key');

const COMMENTS = Number(process.env.BENCH_PARTICIPATION_COMMENTS ?? 4000);
const STORED = Number(process.env.BENCH_PARTICIPATION_STORED ?? 100_000);
const CONCURRENCY = Number(process.env.BENCH_PARTICIPATION_CONCURRENCY ?? 4);
const ROUNDS = Number(process.env.BENCH_PARTICIPATION_ROUNDS ?? 5);
const SEED_CONCURRENCY = Number(process.env.BENCH_PARTICIPATION_SEED_CONCURRENCY ?? 32);
const BATCH = 100;

type Item = Record<string, unknown>;
const f = (x: number) => x.toFixed(2);
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const spread = (xs: readonly number[]) => `${f(Math.min(...xs))}–${f(Math.max(...xs))}`;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

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

/** A word made of letters from a number: texts that differ by it are different groups. */
function word(n: number): string {
  let w = '';
  do {
    w += 'bcdfghjklmnpqrstvz'[n % 18];
    n = Math.floor(n / 18);
  } while (n > 0);
  return w;
}

let made = 0;
/** `n` comments of a realistic mix: 20 % one campaign, the rest distinct, some with a department. */
function messages(consultationId: string, n: number): CommentMessage[] {
  const base = made;
  made += n;
  return Array.from({ length: n }, (_, i) => ({
    type: 'comment',
    reference: newReference(),
    consultationId,
    sectionId: `s${(i % 3) + 1}`,
    stance: STANCES[i % 3]!,
    text:
      i % 5 === 0
        ? `No al cobro de la zona wifi, firma ${i}`
        : `Comentario ${i}: propongo que la zona wifi de la vereda ${word(base + i)} funcione de ${i % 12} a ${(i % 12) + 8} horas.`,
    acceptedAt: new Date().toISOString(),
    author: {
      kind: 'device',
      ...BENCH_KEYS.current(devicePseudonymText(consultationId, `device-${base + i}`)),
    },
    ...(i % 4 === 0 ? { department: DEPARTMENTS[i % DEPARTMENTS.length] } : {}),
  }));
}

/** The comment item exactly as the store writes it. */
function item(m: CommentMessage): Item {
  const c: StoredComment = { ...m, groupKey: groupKey(m.sectionId, m.stance, m.text), version: 1 };
  return itemOf(commentItem.keys(c), c);
}

async function pool<T>(work: readonly T[], run: (w: T) => Promise<void>, width = CONCURRENCY): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < work.length) await run(work[next++]!);
    }),
  );
}

async function batchWrite(
  system: LocalSystem,
  items: readonly Item[],
  width = (CONCURRENCY * BATCH) / 25,
): Promise<void> {
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
    width,
  );
}

/** The SQS events of the comments, made before the clock starts (the queue made them, not the consumer). */
function events(all: readonly CommentMessage[]): SQSEvent[] {
  const out: SQSEvent[] = [];
  for (let i = 0; i < all.length; i += BATCH) out.push(sqsEvent(all.slice(i, i + BATCH), 'participation', i));
  return out;
}

async function consume(system: LocalSystem, batches: readonly SQSEvent[]): Promise<void> {
  await pool(batches, async (event) => {
    const out = (await system.invoke('Participation', event)) as { batchItemFailures: unknown[] };
    if (out.batchItemFailures.length > 0) throw new Error(`${out.batchItemFailures.length} records failed`);
  });
}

/** CPU milliseconds used so far by DynamoDB Local's JVM (Linux /proc; undefined elsewhere). */
function jvmCpu(): (() => number) | undefined {
  try {
    const pid = execFileSync('pgrep', ['-P', String(process.pid), 'java'])
      .toString()
      .trim()
      .split('\n')[0];
    const tick = 1000 / Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());
    const read = () => {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) * tick;
    };
    read();
    return read;
  } catch {
    return undefined;
  }
}

interface Run {
  ms: number;
  nodeCpu: number;
  jvmCpu: number;
}

async function measured(jvm: (() => number) | undefined, work: () => Promise<void>): Promise<Run> {
  const j = jvm?.() ?? 0;
  const cpu = process.cpuUsage();
  const t = performance.now();
  await work();
  const ms = performance.now() - t;
  const used = process.cpuUsage(cpu);
  return { ms, nodeCpu: (used.user + used.system) / 1000, jvmCpu: (jvm?.() ?? 0) - j };
}

async function timed(work: () => Promise<void>): Promise<number> {
  return (await measured(undefined, work)).ms;
}

export default async function (): Promise<void> {
  const system = await startLocalSystem({
    port: 0,
    pollers: false,
    pipes: true,
    schedulers: false,
    logLevel: 'ERROR',
  });
  try {
    await seed();
    const store = participationStores(system.ddb, system.tableName);
    const jvm = jvmCpu();

    // ── 1. Ingestion: consumer vs bare BatchWriteItem of the same items ─────────────────────────
    // Warm-up of both paths (module load, connections, the JVM's JIT), not timed.
    for (let i = 0; ROUNDS > 0 && i < 2; i++) {
      const warm = await openConsultation(system);
      await consume(system, events(messages(warm.id, 2000)));
      await batchWrite(system, messages((await openConsultation(system)).id, 2000).map(item));
      await system.drain();
    }
    const loadBefore = load();
    const ratios: number[] = [];
    const countedRatios: number[] = [];
    let lastConsumed: string | undefined;
    const consumerRuns: Run[] = [];
    const bareRuns: Run[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const viaConsumer = await openConsultation(system);
      const viaBatch = await openConsultation(system);
      const a = events(messages(viaConsumer.id, COMMENTS));
      const b = messages(viaBatch.id, COMMENTS).map(item);
      let consumer: Run;
      let bare: Run;
      let lag = 0;
      // Each path alone: the stream's counting of the other path is over before it starts.
      const viaQueue = async () => {
        consumer = await measured(jvm, () => consume(system, a));
        lag = await timed(() => system.drain({ timeoutMs: 120_000 }));
      };
      const direct = async () => {
        bare = await measured(jvm, () => batchWrite(system, b));
        await system.drain({ timeoutMs: 120_000 });
      };
      if (round % 2 === 0) {
        await viaQueue();
        await direct();
      } else {
        await direct();
        await viaQueue();
      }
      consumer = consumer!;
      bare = bare!;
      consumerRuns.push(consumer);
      bareRuns.push(bare);
      ratios.push(consumer.ms / bare.ms);
      countedRatios.push((consumer.ms + lag) / bare.ms);
      const stored = await store.counters.totals(viaConsumer.id, { consistent: true });
      const total = Object.entries(stored)
        .filter(([k]) => k.startsWith('c:'))
        .reduce((s, [, v]) => s + v, 0);
      if (total !== COMMENTS) throw new Error(`counters say ${total} comments, ${COMMENTS} were sent`);
      lastConsumed = viaConsumer.id;
    }
    if (ROUNDS > 0) {
      const rate = (runs: readonly Run[]) => median(runs.map((r) => (COMMENTS / r.ms) * 1000));
      const perComment = (runs: readonly Run[], key: 'nodeCpu' | 'jvmCpu') =>
        f(median(runs.map((r) => r[key] / COMMENTS)));
      console.log(
        `ingestion (${ROUNDS} rounds of ${COMMENTS} comments per path, ${CONCURRENCY * BATCH} items in flight): consumer ${f(rate(consumerRuns))}/s, bare BatchWriteItem ${f(rate(bareRuns))}/s (medians) → ${f(median(ratios))}× median, ${spread(ratios)}× spread (target ≤ 1.5×)`,
      );
      console.log(
        `  written and counted (until the pipe has counted the last one): ${f(median(countedRatios))}× median, ${spread(countedRatios)}× spread`,
      );
      console.log(
        `  ratios by round: ${ratios.map(f).join(' ')}; load average ${loadBefore} before, ${load()} after`,
      );
      if (lastConsumed) {
        const tally = new GroupTally();
        const ms = await timed(async () => {
          await store.comments.tally(lastConsumed!, tally);
          await store.groups.put(lastConsumed!, 1, tally.campaigns());
        });
        console.log(
          `  campaign grouping after the close (once per consultation, not per comment): ${f(ms)} ms for ${tally.comments} comments (${f((ms * 1000) / tally.comments)} µs each), ${tally.campaigns().length} groups of 2+`,
        );
      }
      if (jvm) {
        console.log(
          `  CPU ms per comment (medians): consumer node ${perComment(consumerRuns, 'nodeCpu')} + DynamoDB Local ${perComment(consumerRuns, 'jvmCpu')}; bare node ${perComment(bareRuns, 'nodeCpu')} + DynamoDB Local ${perComment(bareRuns, 'jvmCpu')}`,
        );
      }
    }

    // ── 2. Results with STORED comments: counters vs a full recount ────────────────────────────
    const big = await openConsultation(system);
    const counts: Record<string, number> = {};
    const t0 = performance.now();
    // Made and written 20,000 at a time (a million messages at once would hold ~1 GB).
    for (let done = 0; done < STORED; done += 20_000) {
      const part = messages(big.id, Math.min(20_000, STORED - done));
      addDeltas(counts, countComments(part));
      await batchWrite(system, part.map(item), SEED_CONCURRENCY);
    }
    // Counted by the system itself (the Counting pipe), as in production.
    await system.drain({ timeoutMs: 3_600_000 });
    const counted = await store.counters.totals(big.id, { consistent: true });
    if (JSON.stringify(Object.entries(counted).sort()) !== JSON.stringify(Object.entries(counts).sort())) {
      throw new Error('the counters the pipe left differ from the comments written');
    }
    const seedS = (performance.now() - t0) / 1000;
    console.log(
      `  (seeded and counted ${STORED} comments in ${f(seedS)} s: ${f(STORED / seedS)}/s, ${SEED_CONCURRENCY} BatchWriteItem calls in flight; load average ${load()})`,
    );
    const fromCounters: number[] = [];
    for (let i = 0; i < 20; i++) {
      fromCounters.push(
        await timed(async () => void buildResults(big, await store.counters.totals(big.id), 5)),
      );
    }
    const recounted: Record<string, number> = {};
    let read = 0;
    const recountMs = await timed(async () => {
      let cursor: string | undefined;
      do {
        const page = await store.comments.list(big.id, { limit: 5000, ...(cursor ? { cursor } : {}) });
        addDeltas(recounted, countComments(page.items));
        read += page.items.length;
        cursor = page.cursor;
      } while (cursor);
    });
    if (
      read !== STORED ||
      JSON.stringify(Object.entries(recounted).sort()) !== JSON.stringify(Object.entries(counts).sort())
    ) {
      throw new Error(`the recount (${read} comments) differs from the counters`);
    }
    const counterMs = median(fromCounters);
    console.log(
      `results with ${STORED} comments: from counters ${f(counterMs)} ms (median of 20, ${spread(fromCounters)} ms), full recount ${f(recountMs)} ms → ${f(recountMs / counterMs)}× faster from counters (load average ${load()})`,
    );
  } finally {
    await system.stop();
  }
}

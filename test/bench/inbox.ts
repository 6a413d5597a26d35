/**
 * `npm run bench -- inbox`
 * An office inbox page (`GET /v1/inbox?office=…&limit=25`, a supervisor's token) with 100,000 open
 * routed cases in one entity's office on DynamoDB Local: p50/p99 through the local HTTP path (local
 * API → ListInbox handler: JWT verification, entity lookup, the gsi1 Query, the semáforo per item,
 * the JSON answer) against the floor measured in the same run: the bare DynamoDB work of the very
 * same page: the Query (index gsi1, same Limit, same ExclusiveStartKey), then, gsi1 being lean
 * (docs/adr/0020), the BatchGetItem of its cases whole. Target ≤ 1.3×.
 *
 * The cases are clones of one real case: filed through the API, routed by the real Route handler,
 * read back, and written again under new radicados (BatchWriteItem, in parallel) with receipts spread
 * over ~60 business days (dates recomputed by the clock module) and priority on ~2 %.
 * BENCH_INBOX_CASES (default 100000) and BENCH_INBOX_PAGES (samples per path, default 1200).
 */
import { Worker } from 'node:worker_threads';
import { BatchGetCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { encodeCursor, keys } from '#adapters/dynamodb/keys.ts';
import { formatRadicado, parseRadicado } from '#domain/case/radicado.ts';
import { computeClock, type EntityClock } from '#domain/clock/index.ts';
import type { TermClass } from '#domain/vocabulary.ts';
import { seed } from '#infra/local/seed.ts';
import { type LocalSystem, startLocalSystem } from '#infra/local/system.ts';
import { BENCH_PETITION, batchLoad, fileThroughApi, routeThroughHandler } from './_load.ts';

const CASES = Number(process.env.BENCH_INBOX_CASES ?? 100_000);
const SAMPLES = Number(process.env.BENCH_INBOX_PAGES ?? 1200);
const LIMIT = 25;
/** BatchWriteItem calls in flight while loading. */
const LOAD_CONCURRENCY = Number(process.env.BENCH_INBOX_LOAD_CONCURRENCY ?? 12);
const ENTITY = 'MINTIC';
/** ~60 business days of receipts (weekends and holidays fall out of the calendar days). */
const CALENDAR_DAYS = 86;

/** The HTTP client thread: GETs each path it is sent and answers with the status and its latency. */
const CLIENT = `
const { parentPort, workerData } = require('node:worker_threads');
const { Agent, request } = require('node:http');
const base = new URL(workerData.baseUrl);
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
parentPort.on('message', ({ id, path, token }) => {
  const t = performance.now();
  const req = request({ host: base.hostname, port: base.port, path, method: 'GET', agent,
    headers: { authorization: 'Bearer ' + token } }, (res) => {
    const chunks = [];
    res.on('data', (c) => chunks.push(c));
    res.on('end', () => parentPort.postMessage({ id, ms: performance.now() - t, status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
  });
  req.on('error', (e) => parentPort.postMessage({ id, ms: 0, status: 0, text: String(e) }));
  req.end();
});
`;

interface Reply {
  ms: number;
  status: number;
  text: string;
}

type Item = Record<string, unknown>;
type StartKey = Record<string, string>;

function pct(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const f = (x: number): string => x.toFixed(2);

/** Files one case through the API and routes it with the real Route handler; returns its stored item. */
async function realRoutedCase(system: LocalSystem): Promise<Item> {
  const radicado = await fileThroughApi(system, { ...BENCH_PETITION, entityId: ENTITY });
  await routeThroughHandler(system, radicado);
  const out = await system.ddb.send(
    new GetCommand({ TableName: system.tableName, Key: keys.case(radicado), ConsistentRead: true }),
  );
  const item = out.Item;
  if (item?.status !== 'routed' || typeof item.gsi1pk !== 'string') {
    throw new Error(`case ${radicado} was not routed: ${JSON.stringify(item?.status)}`);
  }
  return item;
}

/** `n` clones of the routed case: new radicados, receipts over ~60 business days, ~2 % priority. */
function clones(template: Item, n: number): Item[] {
  const radicado = String(template.radicado);
  const parsed = parseRadicado(radicado);
  if (!parsed) throw new Error(`bad radicado ${radicado}`);
  const office = String(template.office);
  const termClass = template.termClass as TermClass;
  const settings = (template.clockSettings ?? {}) as EntityClock;
  // Receipts at 09:xx Bogotá (14:xx Z) on each of the last CALENDAR_DAYS days: the dates of a
  // receipt depend on its day only, so they are computed once per day.
  const today = new Date();
  const days = Array.from({ length: CALENDAR_DAYS }, (_, d) => {
    const day = new Date(
      Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - 1 - d, 14, 0, 0),
    );
    const clock = computeClock({ termClass, filed: day.toISOString(), entity: settings }, { trace: false });
    return { epoch: day.getTime(), clock };
  });
  const items: Item[] = [];
  for (let i = 0; i < n; i++) {
    const seq = parsed.seq + 1 + i;
    const r = formatRadicado(parsed.entityId, parsed.year, seq);
    const day = days[i % days.length]!;
    const receivedAt = new Date(day.epoch + ((i * 7919) % 3_600_000)).toISOString();
    const c = day.clock;
    const priority = i % 50 === 7; // 2 %
    const due = String(c.due);
    const { copiesDue: _drop, ...rest } = template;
    items.push({
      ...rest,
      ...keys.case(r),
      radicado: r,
      subject: `${String(template.subject)} (${i})`,
      receivedAt,
      routedAt: new Date(day.epoch + 3_600_000 + (i % 1000)).toISOString(),
      receivedOn: c.receivedOn,
      dueDate: due,
      maxExtendedDue: c.maxExtendedDue,
      forwardBy: c.forwardBy,
      completionRequestBy: c.completionRequestBy,
      ...(c.copiesDue ? { copiesDue: c.copiesDue } : {}),
      priority,
      trackingHash: `${String(template.trackingHash).slice(0, -8)}${String(seq % 1e8).padStart(8, '0')}`,
      gsi1pk: keys.inbox(ENTITY, office),
      gsi1sk: keys.inboxSort(priority, due, r),
    });
  }
  return items;
}

export default async function (): Promise<void> {
  const system = await startLocalSystem({ port: 0, pollers: false, schedulers: false });
  let client: Worker | undefined;
  try {
    await seed();
    const template = await realRoutedCase(system);
    const office = String(template.office);
    const inbox = keys.inbox(ENTITY, office);
    const items = clones(template, CASES - 1);

    const loadStart = performance.now();
    await batchLoad(system, items, LOAD_CONCURRENCY);
    const loadSeconds = (performance.now() - loadStart) / 1000;
    console.log(
      `loaded ${items.length + 1} open routed cases into ${inbox} (1 filed and routed through the system, ${items.length} clones by BatchWriteItem × ${LOAD_CONCURRENCY}) in ${loadSeconds.toFixed(1)} s (${(items.length / loadSeconds).toFixed(0)} items/s); item ${Buffer.byteLength(JSON.stringify(template))} B as JSON`,
    );

    // Every inbox position, in the index's order (ASCII keys: UTF-8 byte order is string order).
    const positions = [template, ...items]
      .map((i) => ({ pk: String(i.pk), sk: String(i.sk), gsi1pk: inbox, gsi1sk: String(i.gsi1sk) }))
      .sort((a, b) => (a.gsi1sk < b.gsi1sk ? -1 : a.gsi1sk > b.gsi1sk ? 1 : 0));
    const total = positions.length;
    /** The pages measured: the first, then ones deep in the inbox, reached through the cursor. */
    const offsets = [
      0,
      LIMIT,
      1_000,
      Math.floor(total * 0.02),
      10_000,
      Math.floor(total / 2),
      Math.floor(total * 0.9),
      total - LIMIT,
    ].filter((o, i, all) => o >= 0 && o < total && all.indexOf(o) === i);
    const pages = offsets.map((offset) => {
      const start: StartKey | undefined = offset === 0 ? undefined : positions[offset - 1];
      const cursor = encodeCursor(start);
      return {
        offset,
        start,
        path: `/v1/inbox?office=${encodeURIComponent(office)}&limit=${LIMIT}${cursor ? `&cursor=${cursor}` : ''}`,
      };
    });

    const token = await system.issuer.issue({ entity: ENTITY, roles: ['supervisor'] });
    // The client runs on its own thread (as API Gateway is outside the function), with a keep-alive
    // node:http agent; it times each request.
    client = new Worker(CLIENT, { eval: true, workerData: { baseUrl: system.baseUrl } });
    const waiting = new Map<number, (reply: Reply) => void>();
    client.on('message', (reply: Reply & { id: number }) => {
      waiting.get(reply.id)?.(reply);
      waiting.delete(reply.id);
    });
    let ids = 0;
    const get = (path: string): Promise<Reply> => {
      const id = ids++;
      return new Promise<Reply>((resolve) => {
        waiting.set(id, resolve);
        client?.postMessage({ id, path, token });
      });
    };
    // The page's index entries, then its cases whole (one BatchGetItem: LIMIT ≤ 100 keys).
    const bare = async (start: StartKey | undefined) => {
      const page = await system.ddb.send(
        new QueryCommand({
          TableName: system.tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :inbox',
          ExpressionAttributeValues: { ':inbox': inbox },
          Limit: LIMIT,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      const entries = page.Items ?? [];
      if (entries.length === 0) return [];
      const got = await system.ddb.send(
        new BatchGetCommand({
          RequestItems: { [system.tableName]: { Keys: entries.map((e) => ({ pk: e.pk, sk: e.sk })) } },
        }),
      );
      if (got.UnprocessedKeys?.[system.tableName]) throw new Error('floor: unprocessed keys');
      const byKey = new Map((got.Responses?.[system.tableName] ?? []).map((i) => [String(i.pk), i]));
      return entries.map((e) => byKey.get(String(e.pk))!);
    };

    // Check once per page that both paths return the same cases, and note the answer's size.
    let bytes = 0;
    for (const page of pages) {
      const reply = await get(page.path);
      if (reply.status !== 200) throw new Error(`inbox answered ${reply.status}: ${reply.text}`);
      const body = JSON.parse(reply.text) as { items: { radicado: string }[]; cursor?: string };
      const floor = await bare(page.start);
      const ours = body.items.map((i) => i.radicado).join();
      const theirs = floor.map((i) => String(i.radicado)).join();
      const expected = positions
        .slice(page.offset, page.offset + LIMIT)
        .map((p) => p.pk.slice('CASE#'.length))
        .join();
      if (ours !== theirs || ours !== expected) {
        throw new Error(`page at ${page.offset}: the API and the bare Query disagree`);
      }
      bytes += reply.text.length;
    }
    console.log(
      `pages measured at offsets ${offsets.join(', ')} of ${total} (first page: priority cases); answer ~${(bytes / pages.length / 1024).toFixed(1)} KiB a page`,
    );

    // Warm both paths (JIT, connections, JWKS fetch, the entity cache).
    for (let i = 0; i < 100; i++) {
      const page = pages[i % pages.length]!;
      await get(page.path);
      await bare(page.start);
    }

    // One at a time, strictly alternating ours and the floor, page by page.
    const ours: number[] = [];
    const floor: number[] = [];
    const oursFirst: number[] = [];
    const floorFirst: number[] = [];
    const oursDeep: number[] = [];
    const floorDeep: number[] = [];
    const started = performance.now();
    for (let i = 0; i < SAMPLES; i++) {
      const page = pages[i % pages.length]!;
      const reply = await get(page.path);
      if (reply.status !== 200) throw new Error(`inbox answered ${reply.status}: ${reply.text}`);
      const t = performance.now();
      await bare(page.start);
      const ms = performance.now() - t;
      ours.push(reply.ms);
      floor.push(ms);
      (page.offset === 0 ? oursFirst : oursDeep).push(reply.ms);
      (page.offset === 0 ? floorFirst : floorDeep).push(ms);
    }
    const seconds = (performance.now() - started) / 1000;
    const line = (label: string, o: number[], b: number[]) => {
      o.sort((x, y) => x - y);
      b.sort((x, y) => x - y);
      const [o50, b50, o99, b99] = [pct(o, 50), pct(b, 50), pct(o, 99), pct(b, 99)];
      console.log(
        `${label.padEnd(11)} (n=${o.length} each): ours p50 ${f(o50)} p99 ${f(o99)} ms; floor (bare Query + BatchGet) p50 ${f(b50)} p99 ${f(b99)} ms; ratio p50 ${f(o50 / b50)}x, p99 ${f(o99 / b99)}x`,
      );
      return { p50: o50 / b50, p99: o99 / b99 };
    };
    console.log(`latency, one at a time, alternating, limit ${LIMIT}, ${seconds.toFixed(1)} s:`);
    const all = line('all pages', ours, floor);
    line('first page', oursFirst, floorFirst);
    line('deep pages', oursDeep, floorDeep);
    const met = all.p50 <= 1.3 && all.p99 <= 1.3;
    console.log(
      `ratio ours/floor: p50 ${f(all.p50)}x, p99 ${f(all.p99)}x (target <= 1.30x: ${met ? 'met' : 'MISSED'})`,
    );
  } finally {
    await client?.terminate();
    await system.stop();
  }
}

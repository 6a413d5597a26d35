/**
 * `npm run bench -- filing`
 * 1. Filings through the local HTTP path (local API → FileCase handler → DynamoDB Local + fauxqs):
 *    filings/s and p50/p99, against the floor measured in the same run: the bare DynamoDB writes of
 *    the same items (the one TransactWriteItems of counter, case, first event, its notice mark and
 *    the receipt, with the store's conditions). Target p50 ≤ 1.3×, read as the median of
 *    BENCH_ROUNDS (5) rounds' ratios, each of BENCH_FILINGS (300) pairs.
 * 2. Per function: bundle size (esbuild, the CDK construct's options: BUNDLING) and the time to
 *    import the bundled handler in a fresh Node process with the environment Lambda gives it (a
 *    cold-start proxy; Powertools sees Lambda and turns the X-Ray tracer on), median of
 *    BENCH_IMPORT_RUNS (9) rounds that each import every bundle once, with the spread, against
 *    importing an empty bundle the same way. Target ≤ 150 ms for the filing function, with
 *    ServerlessFunction's baseEnvironment (were NODE_OPTIONS set there, its time is printed too).
 *    The importing Node is this one unless BENCH_NODE names another (Lambda runs Node 22).
 *    Figures and what they led to: docs/adr/0006-bundling-shims.md
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { build } from 'esbuild';
import { exportJWK, generateKeyPair } from 'jose';
import { keys } from '#adapters/dynamodb/keys.ts';
import { FUNCTIONS, QUEUES } from '#infra/catalog.ts';
import { baseEnvironment, esbuildOptions } from '#infra/constructs/ServerlessFunction.ts';
import { seed } from '#infra/local/seed.ts';
import { startLocalSystem } from '#infra/local/system.ts';

const N = Number(process.env.BENCH_FILINGS ?? 300);
/**
 * Latency is measured in rounds of N alternating pairs; the figure is the median of the rounds'
 * p50 ratios, so one bad stretch of a shared machine does not move it.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
/** Throughput runs spread filings over the demo entities (one entity's radicados are serialized by law). */
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 6);
const ENTITIES = ['MINTIC', 'SUPERSALUD', 'MEDELLIN'];

/**
 * The HTTP client thread: POSTs each body it is sent and answers with the status and its latency.
 * A load generator's client (keep-alive sockets, one request in flight each, content-length
 * framing), so that the client's own work stays out of what is timed.
 */
const CLIENT = `
const { parentPort, workerData } = require('node:worker_threads');
const net = require('node:net');
const base = new URL(workerData.baseUrl);
const idle = [];
const queued = [];
function open() {
  const socket = net.connect({ host: base.hostname, port: Number(base.port), noDelay: true });
  let buffer = Buffer.alloc(0);
  socket.on('data', (chunk) => {
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    const end = buffer.indexOf('\\r\\n\\r\\n');
    if (end < 0) return;
    const head = buffer.toString('latin1', 0, end);
    const length = Number(/\\r\\ncontent-length: *(\\d+)/i.exec(head)?.[1] ?? 0);
    if (buffer.length < end + 4 + length) return;
    const ms = performance.now() - socket.started;
    const text = buffer.toString('utf8', end + 4, end + 4 + length);
    buffer = buffer.subarray(end + 4 + length);
    parentPort.postMessage({ id: socket.id, ms, status: Number(head.slice(9, 12)), text });
    release(socket);
  });
  socket.on('error', (e) => { if (socket.id !== undefined) parentPort.postMessage({ id: socket.id, ms: 0, status: 0, text: String(e) }); });
  return socket;
}
function send(socket, { id, body }) {
  const bytes = Buffer.from(body);
  socket.id = id;
  socket.started = performance.now();
  socket.write(Buffer.concat([Buffer.from('POST /v1/cases HTTP/1.1\\r\\nhost: ' + base.host + '\\r\\ncontent-type: application/json\\r\\ncontent-length: ' + bytes.length + '\\r\\n\\r\\n', 'latin1'), bytes]));
}
function release(socket) {
  socket.id = undefined;
  const next = queued.shift();
  if (next) send(socket, next); else idle.push(socket);
}
for (let i = 0; i < workerData.sockets; i++) idle.push(open());
parentPort.on('message', (request) => {
  const socket = idle.pop();
  if (socket) send(socket, request); else queued.push(request);
});
`;

const median = (sorted: number[]): number => sorted[sorted.length >> 1]!;

/**
 * The share of CPU time the hypervisor gave to others while a measurement ran (Linux's `steal`
 * in /proc/stat; absent elsewhere): absolute times follow it, ratios to a floor measured in the
 * same run far less. Why: docs/adr/0006-bundling-shims.md
 */
function stealMeter(): () => string {
  const read = (): number[] | undefined => {
    try {
      return readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    } catch {
      return undefined;
    }
  };
  const start = read();
  return () => {
    const end = read();
    if (!start || !end || end.length < 8) return 'CPU steal unknown';
    const delta = end.map((v, i) => v - (start[i] ?? 0));
    const total = delta.slice(0, 8).reduce((a, b) => a + b, 0);
    const steal = total > 0 ? (100 * delta[7]!) / total : 0;
    return `CPU steal ${steal.toFixed(0)} %${steal > 10 ? ' (a busy host: absolute times read high)' : ''}`;
  };
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function body(i: number, entityId = 'MINTIC') {
  return {
    entityId,
    kind: 'petition',
    subject: `Solicitud de conectividad ${i}`,
    description: 'Solicito información sobre el programa de zonas wifi en mi vereda.',
    petitioner: { name: 'Ana Pérez', idType: 'CC', idNumber: '52123456', email: 'ana@example.com' },
  };
}

async function timed(n: number, concurrency: number, one: (i: number) => Promise<unknown>) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const t = performance.now();
        await one(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { perSecond: n / seconds, p50: pct(latencies, 50), p99: pct(latencies, 99) };
}

async function filingPath(): Promise<void> {
  const system = await startLocalSystem({ port: 0, pollers: false, schedulers: false });
  try {
    await seed();
    // Ours: a filing through the local API; each filed radicado is kept for the floor.
    const filed: string[] = [];
    // The client runs on its own thread (as API Gateway is outside the function), over keep-alive
    // sockets (CLIENT); it times each request.
    const client = new Worker(CLIENT, {
      eval: true,
      workerData: { baseUrl: system.baseUrl, sockets: CONCURRENCY },
    });
    const waiting = new Map<number, (reply: { ms: number; status: number; text: string }) => void>();
    client.on('message', (reply: { id: number; ms: number; status: number; text: string }) => {
      waiting.get(reply.id)?.(reply);
      waiting.delete(reply.id);
    });
    let ids = 0;
    /** Files one case; resolves with the client-side latency in ms. */
    const post = async (i: number, entityId = 'MINTIC'): Promise<number> => {
      const id = ids++;
      const reply = await new Promise<{ ms: number; status: number; text: string }>((resolve) => {
        waiting.set(id, resolve);
        client.postMessage({ id, body: JSON.stringify(body(i, entityId)) });
      });
      if (reply.status !== 201) throw new Error(`filing answered ${reply.status}: ${reply.text}`);
      filed.push(String((JSON.parse(reply.text) as { radicado: string }).radicado));
      return reply.ms;
    };
    // The floor: the very items a filing wrote (its case, first event, that event's pending
    // notice mark and the receipt's facts, read back), written again under new keys with the counter update, in one bare
    // TransactWriteItems — what DynamoDB alone costs.
    type Items = {
      kase: Record<string, unknown>;
      event: Record<string, unknown>;
      mark: Record<string, unknown>;
      receipt: Record<string, unknown>;
    };
    const pending: Items[] = [];
    /** A case's item and first event as stored (a write's items, read back: it must be there). */
    const readBack = async (radicado: string): Promise<Items> => {
      const get = (Key: { pk: string; sk: string }) =>
        system.ddb.send(new GetCommand({ TableName: system.tableName, Key }));
      const [kase, event, mark, receipt] = await Promise.all([
        get(keys.case(radicado)),
        get(keys.event(radicado, 1)),
        get({ pk: keys.case(radicado).pk, sk: 'NOTICE#EVENT#000001' }),
        get(keys.receipt(radicado)),
      ]);
      if (!kase.Item || !event.Item || !mark.Item || !receipt.Item)
        throw new Error(`${radicado} is not in the table`);
      return { kase: kase.Item, event: event.Item, mark: mark.Item, receipt: receipt.Item };
    };
    const stock = async () => {
      for (const radicado of filed.splice(0)) pending.push(await readBack(radicado));
    };
    const seqs = new Map<string, number>();
    // The floor sends the TransactWriteItems our store sends, its condition on the counter
    // included (the counter is what keeps radicados gap-free), and, like our store, one entity's
    // writes one after another (the counter's condition needs the previous number).
    const floorQueues = new Map<string, Promise<unknown>>();
    const floorWrite = (i: number, entityId = 'MINTIC'): Promise<string> => {
      const run = (floorQueues.get(entityId) ?? Promise.resolve()).then(() => floorWriteNow(i, entityId));
      floorQueues.set(
        entityId,
        run.catch(() => undefined),
      );
      return run;
    };
    const floorWriteNow = async (_i: number, entityId: string): Promise<string> => {
      const items = pending.pop();
      if (!items) throw new Error('floor ran out of filed items');
      const last = seqs.get(entityId) ?? 0;
      const n = last + 1;
      seqs.set(entityId, n);
      const radicado = `FLOOR${entityId}-2026-${String(n).padStart(6, '0')}`;
      const pk = keys.case(radicado).pk;
      await system.ddb.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: system.tableName,
                Key: { pk: `COUNTER#FLOOR${entityId}#2026`, sk: 'COUNTER' },
                UpdateExpression: 'SET #last = :n',
                ConditionExpression: last === 0 ? 'attribute_not_exists(pk)' : '#last = :prev',
                ExpressionAttributeNames: { '#last': 'last' },
                ExpressionAttributeValues: last === 0 ? { ':n': n } : { ':n': n, ':prev': last },
              },
            },
            {
              Put: {
                TableName: system.tableName,
                Item: { ...items.kase, pk },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: system.tableName,
                Item: { ...items.event, pk: keys.event(radicado, 1).pk },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            { Put: { TableName: system.tableName, Item: { ...items.mark, pk } } },
            { Put: { TableName: system.tableName, Item: { ...items.receipt, ...keys.receipt(radicado) } } },
          ],
        }),
      );
      return radicado;
    };
    // Warm both paths (JIT, connections, the handler's cold start).
    await timed(50, 1, post);
    await stock();
    await timed(50, 1, floorWrite);
    const f = (x: number) => x.toFixed(2);
    // Latency: one at a time, strictly alternating ours and the floor (each floor write re-writes
    // the items the filing just before it wrote), so that drifting noise hits both alike; each is
    // followed by the same two reads of what it wrote, so both start after the same kind of work.
    const steal = stealMeter();
    const ratios: number[] = [];
    const ours: number[] = [];
    const floor: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const o: number[] = [];
      const fl: number[] = [];
      for (let i = 0; i < N; i++) {
        o.push(await post(i));
        await stock();
        const t = performance.now();
        const radicado = await floorWrite(i);
        fl.push(performance.now() - t);
        await readBack(radicado);
      }
      o.sort((a, b) => a - b);
      fl.sort((a, b) => a - b);
      ratios.push(pct(o, 50) / pct(fl, 50));
      ours.push(...o);
      floor.push(...fl);
    }
    ours.sort((a, b) => a - b);
    floor.sort((a, b) => a - b);
    const [o50, f50, o99, f99] = [pct(ours, 50), pct(floor, 50), pct(ours, 99), pct(floor, 99)];
    console.log(
      `latency, one at a time, alternating (${ROUNDS} rounds × ${N} each; load average ${loadavg()[0]!.toFixed(1)}, ${steal()}): ours p50 ${f(o50)} p99 ${f(o99)} ms; floor (the same items, one bare TransactWriteItems) p50 ${f(f50)} p99 ${f(f99)} ms`,
    );
    const byRound = [...ratios].sort((a, b) => a - b);
    const verdict = median(byRound) <= 1.3 ? 'met' : 'MISSED';
    console.log(
      `ratio p50 ours/floor: ${f(median(byRound))}x, median of the rounds' (${ratios.map(f).join(', ')}) (target <= 1.30x: ${verdict}); over all pairs p50 ${f(o50 / f50)}x, p99 ${f(o99 / f99)}x`,
    );
    // Throughput and tail under concurrency, spread over the three entities.
    const spread = (one: (i: number, e: string) => Promise<unknown>) => (i: number) =>
      one(i, ENTITIES[i % ENTITIES.length]!);
    const t1 = await timed(N, CONCURRENCY, spread(post));
    await stock();
    const t2 = await timed(N, CONCURRENCY, spread(floorWrite));
    console.log(
      `concurrency ${CONCURRENCY} over ${ENTITIES.length} entities: ours ${t1.perSecond.toFixed(0)}/s p50 ${f(t1.p50)} p99 ${f(t1.p99)} ms; floor ${t2.perSecond.toFixed(0)}/s p50 ${f(t2.p50)} p99 ${f(t2.p99)} ms; ratio p50 ${f(t1.p50 / t2.p50)}x, p99 ${f(t1.p99 / t2.p99)}x`,
    );
    await client.terminate();
  } finally {
    await system.stop();
  }
}

/**
 * The Node.js that imports the bundles: this one, or BENCH_NODE (a path) to measure with the major
 * version Lambda runs (22) where this machine has another: import costs differ between majors.
 */
const IMPORT_NODE = process.env.BENCH_NODE ?? process.execPath;

/** Runs per figure: the median is printed, with the spread (the machine may be shared). */
const IMPORT_RUNS = Number(process.env.BENCH_IMPORT_RUNS ?? 9);

/** Imports `file` once in a fresh Node process: the time in ms. */
function importOnce(file: string, env: Record<string, string>): number {
  const script = `const t=performance.now(); await import(${JSON.stringify(file)}); process.stdout.write(String(performance.now()-t));`;
  return Number(
    execFileSync(IMPORT_NODE, ['--input-type=module', '-e', script], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'ignore'],
    }).toString(),
  );
}

const spread = (sorted: number[]): string => `${sorted[0]!.toFixed(0)}–${sorted.at(-1)!.toFixed(0)}`;

/**
 * What Lambda puts in a function's environment that the code reads while it loads (Powertools
 * finds Lambda there and turns the X-Ray tracer on, as it does when deployed; with
 * LAMBDA_TASK_ROOT the X-Ray SDK also sets up its Lambda context at load, as it does there).
 */
function lambdaEnvironment(name: string): Record<string, string> {
  return {
    LAMBDA_TASK_ROOT: '/var/task',
    LAMBDA_RUNTIME_DIR: '/var/runtime',
    _HANDLER: 'index.handler',
    TZ: ':UTC',
    AWS_LAMBDA_FUNCTION_NAME: `urna-${name}`,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_LOG_FORMAT: 'JSON',
    AWS_LAMBDA_LOG_LEVEL: 'INFO',
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000',
  };
}

async function coldStarts(): Promise<void> {
  const out = join(process.cwd(), '.bench', 'bundles');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  // The construct's bundling options (infra/constructs/ServerlessFunction.ts), as CDK passes them.
  const options = {
    ...esbuildOptions(),
    bundle: true,
    platform: 'node' as const,
    logLevel: 'error' as const,
  };
  writeFileSync(join(out, 'empty.ts'), 'export const handler = async () => ({ statusCode: 200 });\n');
  await build({ ...options, entryPoints: [join(out, 'empty.ts')], outfile: join(out, 'empty.mjs') });
  const key = JSON.stringify({
    ...(await exportJWK((await generateKeyPair('EdDSA', { extractable: true })).privateKey)),
  });
  // The deployed environment less NODE_OPTIONS (timed apart below, when set).
  const { NODE_OPTIONS: nodeOptions = '', ...base } = baseEnvironment('INFO');
  const env = (name: string) => ({
    ...base,
    ...lambdaEnvironment(name),
    TABLE_NAME: 'urna',
    ...Object.fromEntries(
      QUEUES.flatMap((q) => [
        [q.urlEnv, `http://127.0.0.1:1/000000000000/${q.name}`],
        [q.dlqUrlEnv, `http://127.0.0.1:1/000000000000/${q.name}-dlq`],
      ]),
    ),
    RECEIPT_SIGNING_KEY: key,
    PSEUDONYM_KEYS: Buffer.alloc(32, 7).toString('base64url'),
    AWS_REGION: 'us-east-1',
    // What the stack gives the notice senders (infra/stacks/UrnaStack.ts).
    NOTIFIER: 'ses',
    NOTICE_SENDER: 'avisos@example.org',
    OFFICER_USER_POOL_ID: 'us-east-1_local',
  });
  // Every bundle first, then IMPORT_RUNS rounds that import each one once (the empty one too), so
  // that a busy stretch of a shared machine spreads over all of them instead of landing on one.
  const bundles: { name: string; file: string; env: Record<string, string> }[] = [
    { name: 'Empty', file: join(out, 'empty.mjs'), env: env('Empty') },
  ];
  for (const fn of FUNCTIONS) {
    const file = join(out, `${fn.name}.mjs`);
    await build({ ...options, entryPoints: [fn.entry], outfile: file });
    bundles.push({ name: fn.name, file, env: env(fn.name) });
  }
  const runs = new Map<string, number[]>(bundles.map((b) => [b.name, []]));
  const steal = stealMeter();
  const broken = new Set<string>();
  for (let round = 0; round < IMPORT_RUNS; round++) {
    for (const b of bundles) {
      if (broken.has(b.name)) continue;
      try {
        runs.get(b.name)!.push(importOnce(b.file, b.env));
      } catch {
        broken.add(b.name);
      }
    }
  }
  const sorted = (name: string) => runs.get(name)!.sort((a, b) => a - b);
  const baseline = median(sorted('Empty'));
  console.log(
    `cold-start proxy: import of the bundled handler in a fresh Node ${execFileSync(IMPORT_NODE, ['--version']).toString().trim()} process with Lambda's environment, median of ${IMPORT_RUNS} rounds over every bundle (min–max); load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} CPUs, ${steal()}`,
  );
  console.log(`baseline: empty bundled handler imports in ${baseline.toFixed(1)} ms`);
  for (const { name, file, env: loadEnv } of bundles.slice(1)) {
    if (broken.has(name)) {
      console.log(
        `${name.padEnd(15)} does not load with this environment (a variable it needs at cold start?)`,
      );
      continue;
    }
    const times = sorted(name);
    const ms = median(times);
    const kb = statSync(file).size / 1024;
    const flag =
      name === 'FileCase' ? (ms <= 150 ? ' (target ≤ 150 ms: met)' : ' (target ≤ 150 ms: MISSED)') : '';
    console.log(
      `${name.padEnd(15)} ${kb.toFixed(0).padStart(5)} KiB  import ${ms.toFixed(1).padStart(6)} ms (${spread(times)})  ${(ms / baseline).toFixed(1)}× baseline${flag}`,
    );
    if (name === 'FileCase' && nodeOptions !== '') {
      // As deployed, Node also reads and parses the bundle's source map while it loads.
      const deployed = Array.from({ length: IMPORT_RUNS }, () =>
        importOnce(file, { ...loadEnv, NODE_OPTIONS: nodeOptions }),
      ).sort((a, b) => a - b);
      console.log(
        `${''.padEnd(15)} ${''.padStart(5)}      with NODE_OPTIONS=${nodeOptions} (as deployed): ${median(deployed).toFixed(1)} ms (${spread(deployed)})`,
      );
    }
  }
}

export default async function (): Promise<void> {
  await filingPath();
  await coldStarts();
}

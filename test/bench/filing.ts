/**
 * `npm run bench -- filing`
 * 1. Filings through the local HTTP path (local API → FileCase handler → DynamoDB Local + fauxqs):
 *    filings/s and p50/p99, against the floor measured in the same run: the bare DynamoDB writes of
 *    the same items (the one TransactWriteItems of counter, case and first event). Target p50 ≤ 1.3×.
 * 2. Per function: bundle size (esbuild, the CDK construct's options) and the time to import the
 *    bundled handler in a fresh Node process (a cold-start proxy), against importing an empty
 *    bundle the same way. Target ≤ 150 ms for the filing function.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { build } from 'esbuild';
import { exportJWK, generateKeyPair } from 'jose';
import { FUNCTIONS } from '#infra/catalog.ts';
import { ESM_REQUIRE_BANNER, EXTERNAL_MODULES } from '#infra/constructs/ServerlessFunction.ts';
import { seed } from '#infra/local/seed.ts';
import { startLocalSystem } from '#infra/local/system.ts';

const N = Number(process.env.BENCH_FILINGS ?? 300);
/** Throughput runs spread filings over the demo entities (one entity's radicados are serialized by law). */
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 6);
const ENTITIES = ['MINTIC', 'SUPERSALUD', 'MEDELLIN'];

/** The HTTP client thread: POSTs each body it is sent and answers with the status and its latency. */
const CLIENT = `
const { parentPort, workerData } = require('node:worker_threads');
const { Agent, request } = require('node:http');
const base = new URL(workerData.baseUrl);
const agent = new Agent({ keepAlive: true, maxSockets: workerData.sockets });
parentPort.on('message', ({ id, body }) => {
  const t = performance.now();
  const req = request({ host: base.hostname, port: base.port, path: '/v1/cases', method: 'POST', agent,
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
    const chunks = [];
    res.on('data', (c) => chunks.push(c));
    res.on('end', () => parentPort.postMessage({ id, ms: performance.now() - t, status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
  });
  req.on('error', (e) => parentPort.postMessage({ id, ms: 0, status: 0, text: String(e) }));
  req.end(body);
});
`;

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
    // The client runs on its own thread (as API Gateway is outside the function), with a keep-alive
    // node:http agent (fetch adds about a millisecond of its own per call); it times each request.
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
    // The floor: the very items a filing wrote (its case and first event, read back), written again
    // under new keys with the counter update, in one bare TransactWriteItems — what DynamoDB alone costs.
    type Items = { kase: Record<string, unknown>; event: Record<string, unknown> };
    const pending: Items[] = [];
    const stock = async () => {
      for (const radicado of filed.splice(0)) {
        const [kase, event] = await Promise.all([
          system.ddb.send(
            new GetCommand({ TableName: system.tableName, Key: { pk: `CASE#${radicado}`, sk: 'CASE' } }),
          ),
          system.ddb.send(
            new GetCommand({
              TableName: system.tableName,
              Key: { pk: `CASE#${radicado}`, sk: 'EVENT#000001' },
            }),
          ),
        ]);
        pending.push({ kase: kase.Item!, event: event.Item! });
      }
    };
    const seqs = new Map<string, number>();
    const floorWrite = async (_i: number, entityId = 'MINTIC') => {
      const items = pending.pop();
      if (!items) throw new Error('floor ran out of filed items');
      const last = seqs.get(entityId) ?? 0;
      const n = last + 1;
      seqs.set(entityId, n);
      const pk = `CASE#FLOOR${entityId}-2026-${String(n).padStart(6, '0')}`;
      await system.ddb.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: system.tableName,
                Key: { pk: `COUNTER#FLOOR${entityId}#2026`, sk: 'COUNTER' },
                UpdateExpression: 'SET #last = :n',
                ExpressionAttributeNames: { '#last': 'last' },
                ExpressionAttributeValues: { ':n': n },
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
                Item: { ...items.event, pk },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
    };
    // Warm both paths (JIT, connections, the handler's cold start).
    await timed(50, 1, post);
    await stock();
    await timed(50, 1, floorWrite);
    const f = (x: number) => x.toFixed(2);
    // Latency: one at a time, strictly alternating ours and the floor (each floor write re-writes
    // the items the filing just before it wrote), so that drifting noise hits both alike.
    const ours: number[] = [];
    const floor: number[] = [];
    for (let i = 0; i < N; i++) {
      ours.push(await post(i));
      await stock();
      const t = performance.now();
      await floorWrite(i);
      floor.push(performance.now() - t);
    }
    ours.sort((a, b) => a - b);
    floor.sort((a, b) => a - b);
    const [o50, f50, o99, f99] = [pct(ours, 50), pct(floor, 50), pct(ours, 99), pct(floor, 99)];
    console.log(
      `latency, one at a time, alternating (n=${N} each): ours p50 ${f(o50)} p99 ${f(o99)} ms; floor (the same items, one bare TransactWriteItems) p50 ${f(f50)} p99 ${f(f99)} ms`,
    );
    console.log(`ratio p50 ours/floor: ${f(o50 / f50)}x (target <= 1.30x); p99 ${f(o99 / f99)}x`);
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

function importMs(file: string, env: Record<string, string>): number {
  const script = `const t=performance.now(); await import(${JSON.stringify(file)}); process.stdout.write(String(performance.now()-t));`;
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    runs.push(
      Number(
        execFileSync(process.execPath, ['--input-type=module', '-e', script], {
          env: { ...process.env, ...env },
        }).toString(),
      ),
    );
  }
  return runs.sort((a, b) => a - b)[2]!;
}

async function coldStarts(): Promise<void> {
  const out = join(process.cwd(), '.bench', 'bundles');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const options = {
    bundle: true,
    platform: 'node' as const,
    target: 'node22',
    format: 'esm' as const,
    mainFields: ['module', 'main'],
    banner: { js: ESM_REQUIRE_BANNER },
    minify: true,
    sourcemap: true,
    external: [...EXTERNAL_MODULES],
    logLevel: 'error' as const,
  };
  writeFileSync(join(out, 'empty.ts'), 'export const handler = async () => ({ statusCode: 200 });\n');
  await build({ ...options, entryPoints: [join(out, 'empty.ts')], outfile: join(out, 'empty.mjs') });
  const key = JSON.stringify({
    ...(await exportJWK((await generateKeyPair('EdDSA', { extractable: true })).privateKey)),
  });
  const env = {
    TABLE_NAME: 'urna',
    ROUTING_QUEUE_URL: 'http://127.0.0.1:1/000000000000/routing',
    INTAKE_DLQ_URL: 'http://127.0.0.1:1/000000000000/intake-dlq',
    RECEIPT_SIGNING_KEY: key,
    AWS_REGION: 'us-east-1',
    POWERTOOLS_METRICS_DISABLED: 'true',
  };
  const baseline = importMs(join(out, 'empty.mjs'), env);
  console.log(`baseline: empty bundled handler imports in ${baseline.toFixed(1)} ms`);
  for (const fn of FUNCTIONS) {
    const file = join(out, `${fn.name}.mjs`);
    await build({ ...options, entryPoints: [fn.entry], outfile: file });
    const ms = importMs(file, env);
    const kb = statSync(file).size / 1024;
    const flag =
      fn.name === 'FileCase' ? (ms <= 150 ? ' (target ≤ 150 ms: met)' : ' (target ≤ 150 ms: MISSED)') : '';
    console.log(
      `${fn.name.padEnd(15)} ${kb.toFixed(0).padStart(5)} KiB  import ${ms.toFixed(1).padStart(6)} ms  ${(ms / baseline).toFixed(1)}× baseline${flag}`,
    );
  }
}

export default async function (): Promise<void> {
  await filingPath();
  await coldStarts();
}

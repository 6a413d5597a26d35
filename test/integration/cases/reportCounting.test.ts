/**
 * The PQRSD report's counters on DynamoDB Local + fauxqs (issue 15): cases filed over the API and
 * acted on reach the counters through the table stream and the Counting pipe; the counters of each
 * entity and of the country equal a recount of the cases as stored, and a batch delivered again to
 * the Count function adds nothing.
 */
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCaseStore } from '#adapters/dynamodb/caseStore.ts';
import { DynamoReportCounters } from '#adapters/dynamodb/reportCounters.ts';
import type { CaseRecord } from '#domain/case/case.ts';
import { addCells, type Cells, contributions } from '#domain/transparency/contributions.ts';
import { bogotaMonth } from '#domain/transparency/periods.ts';
import { seed } from '#infra/local/seed.ts';
import { call } from '#test/support/client.ts';
import { type LocalSystem, useLocalSystem } from '#test/support/localEnv.ts';
import { actAt, supervisor } from './act.ts';
import { petition, petitioner } from './helpers.ts';

let system: LocalSystem;
let store: DynamoCaseStore;
let counters: DynamoReportCounters;

beforeAll(async () => {
  system = await useLocalSystem({ schedulers: false });
  await seed();
  store = new DynamoCaseStore(system.ddb, system.tableName);
  counters = new DynamoReportCounters(system.ddb, system.tableName);
});
afterAll(() => system?.stop());

async function fileWeb(body: Record<string, unknown>): Promise<string> {
  const filed = await call(system.baseUrl, 'POST', '/v1/cases', { body });
  expect(filed.status).toBe(201);
  return String(filed.body.radicado);
}

const nonzero = (cells: Cells) => Object.fromEntries(Object.entries(cells).filter(([, v]) => v !== 0));
const recount = (cases: readonly CaseRecord[]) =>
  nonzero(cases.reduce((all, c) => addCells(all, contributions(c)), {} as Cells));

describe('the PQRSD report counters, from the table stream', () => {
  it('equal a recount of the cases as stored, per entity and for the country, however often a batch comes', async () => {
    // Prepare: cases of two entities, answered, extended, forwarded, pending.
    const now = () => new Date().toISOString();
    const mintic = await Promise.all([
      fileWeb(petition({ category: 'spectrum' })),
      fileWeb(petition({ category: 'spectrum', kind: 'complaint' })),
      fileWeb(petition({ category: 'spectrum', kind: 'information_request' })),
    ]);
    const medellin = await fileWeb(petition({ entityId: 'MEDELLIN', category: 'urban_mobility' }));
    await system.drain();
    const [answered, extended, forwarded] = mintic as [string, string, string];
    await actAt(store, answered, { type: 'assign', office: 'espectro', officer: 'officer-sub-2' }, now());
    await actAt(store, answered, { type: 'respond', answer: 'Respuesta.', outcome: 'granted' }, now());
    const assigned = await actAt(
      store,
      extended,
      { type: 'assign', office: 'espectro', officer: 'officer-sub-2' },
      now(),
    );
    await actAt(
      store,
      extended,
      { type: 'extend', newDueDate: String(assigned.maxExtendedDue), reason: 'Se consulta a la ANE.' },
      now(),
    );
    await actAt(
      store,
      forwarded,
      { type: 'forward', toEntityId: 'SUPERSALUD', reason: 'Es de salud.' },
      now(),
      {},
      supervisor(),
    );
    await system.drain();

    // Assess: the counters of each entity and the country against a recount of what is stored.
    const cases = await Promise.all([...mintic, medellin].map(async (r) => (await store.get(r))!));
    const months = [...new Set(cases.map((c) => bogotaMonth(c.receivedAt)))];
    const minticCases = cases.filter((c) => c.entityId === 'MINTIC');
    expect(await counters.cells({ entityId: 'MINTIC' }, months)).toEqual(recount(minticCases));
    expect(await counters.cells({ entityId: 'MEDELLIN' }, months)).toEqual(recount([cases[3]!]));
    const before = await counters.cells('national', months);
    expect(before).toEqual(recount(cases));
    expect(before[`${months[0]}|received|total`]).toBeGreaterThanOrEqual(4);
    // The answer is counted as one (actAt keeps the answer's record, as the use case does).
    expect(before[`${months[0]}|answered|onTime`]).toBeGreaterThanOrEqual(1);

    // A batch of these cases' images delivered again (the pipe retries a failed batch): no change.
    const records = cases.map((c, i) => ({
      eventName: 'MODIFY',
      dynamodb: {
        SequenceNumber: String(9e20 + i),
        NewImage: marshall({ pk: `CASE#${c.radicado}`, sk: 'CASE', ...c }, { removeUndefinedValues: true }),
      },
    }));
    await system.invoke('Count', records);
    expect(await counters.cells('national', months)).toEqual(before);
  });

  it('serves the reports over the API: cacheable, refusing a period it cannot read, with no personal data', async () => {
    const month = new Date(Date.now() - 5 * 3_600_000).toISOString().slice(0, 7);
    const entity = await call(
      system.baseUrl,
      'GET',
      `/v1/public/entities/MINTIC/pqrsd-report?period=${month}`,
    );
    expect(entity.status).toBe(200);
    expect(entity.body).toMatchObject({ entityId: 'MINTIC', period: { label: month } });
    expect((entity.body.received as { total: number }).total).toBeGreaterThanOrEqual(3);
    expect(entity.headers.get('cache-control')).toBe('public, max-age=300');
    const etag = String(entity.headers.get('etag'));
    const again = await call(
      system.baseUrl,
      'GET',
      `/v1/public/entities/MINTIC/pqrsd-report?period=${month}`,
      {
        headers: { 'if-none-match': etag },
      },
    );
    expect(again.status).toBe(304);

    const national = await call(system.baseUrl, 'GET', `/v1/public/pqrsd-report?period=${month.slice(0, 4)}`);
    expect(national.status).toBe(200);
    expect(national.body.entityId).toBeNull();
    const text = JSON.stringify([entity.body, national.body]);
    for (const personal of [petitioner.name, petitioner.idNumber, petitioner.email, 'Zona wifi']) {
      expect(text).not.toContain(personal);
    }

    const bad = await call(system.baseUrl, 'GET', '/v1/public/pqrsd-report?period=2026-S3');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'query.period' })]);
    const unknown = await call(system.baseUrl, 'GET', '/v1/public/entities/NADIE/pqrsd-report?period=2026');
    expect(unknown.status).toBe(404);

    // The same report as open-data CSV, and its data dictionary.
    const csv = await call(
      system.baseUrl,
      'GET',
      `/v1/public/entities/MINTIC/pqrsd-report.csv?period=${month}`,
    );
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toContain(`MINTIC-pqrsd-${month}.csv`);
    const rows = csv.text.split('\r\n');
    expect(rows[0]).toBe('dimension,key,value');
    const received = (entity.body.received as { total: number }).total;
    expect(rows).toContain(`received,total,${received}`);
    const dictionary = await call(system.baseUrl, 'GET', '/v1/public/pqrsd-report.csv?part=dictionary');
    expect(dictionary.status).toBe(200);
    expect(dictionary.text.split('\r\n')[0]).toBe('column,type,description');
    const nationalCsv = await call(system.baseUrl, 'GET', '/v1/public/pqrsd-report.csv?period=2026-S7');
    expect(nationalCsv.status).toBe(400);
  });
});

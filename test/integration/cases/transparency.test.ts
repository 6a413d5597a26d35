/**
 * Transparency end to end on DynamoDB Local + fauxqs (issue 15): the seeded history of two periods
 * (the first quarter and July 2026: on time, late, extended, forwarded, denied with a ground,
 * withdrawn both ways, deemed accepted, pending) stored as the case store stores it, counted by the
 * real Counting pipe, gives exactly the expected report, CSV and open-data register, the DCAT
 * metadata, the report to management (Ley 1474 art. 76) behind a token; and no public answer holds
 * a petitioner's name, id, e-mail, phone or text.
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCaseStore } from '#adapters/dynamodb/caseStore.ts';
import type { CaseRecord } from '#domain/case/case.ts';
import { publicationPeriod } from '#domain/channels.ts';
import { bogotaDay } from '#domain/clock/dates.ts';
import { businessDaysBetween } from '#domain/clock/index.ts';
import type { Cells } from '#domain/transparency/contributions.ts';
import { parsePeriod } from '#domain/transparency/periods.ts';
import { registerCsvHeader, registerCsvRows, registerRow } from '#domain/transparency/register.ts';
import { buildReport } from '#domain/transparency/report.ts';
import { seed } from '#infra/local/seed.ts';
import { call, type Reply } from '#test/support/client.ts';
import { type LocalSystem, useLocalSystem } from '#test/support/localEnv.ts';
import { storeSeededHistory } from '#test/support/seededCases.ts';
import { actAt } from './act.ts';
import { petition, petitioner } from './helpers.ts';

let system: LocalSystem;
let history: Awaited<ReturnType<typeof storeSeededHistory>>;
let stored: CaseRecord[];
/** Every public answer read here, for the personal-data check at the end. */
const published: string[] = [];
/** The day each answered case's notice was delivered (its register `notified`). */
let delivered: Map<string, string>;

const get = async (path: string, headers: Record<string, string> = {}): Promise<Reply> => {
  const reply = await call(system.baseUrl, 'GET', path, { headers });
  if (path.startsWith('/v1/public/')) published.push(reply.text);
  return reply;
};

beforeAll(async () => {
  system = await useLocalSystem({ schedulers: false });
  await seed();
  history = await storeSeededHistory(system);
  ({ stored, delivered } = history);
}, 60_000);
afterAll(() => system?.stop());

const today = () => bogotaDay(new Date());
const expectedReport = (cells: Cells, period: string, entityId: string | null) =>
  buildReport({
    period: parsePeriod({ period }),
    cells,
    entityId,
    today: today(),
    businessDaysOver: (due) => businessDaysBetween(due, today()),
  });

describe('the PQRSD report of a seeded history, through the real pipe and API', () => {
  it('gives exactly the expected figures for each period, entity and the country', async () => {
    const q1 = await get('/v1/public/entities/MINTIC/pqrsd-report?period=2026-Q1');
    expect(q1.status).toBe(200);
    expect(q1.body).toMatchObject({
      received: { total: 7, byKind: { petition: 4, complaint: 1, information_request: 2 } },
      answered: { total: 3, onTime: 2, late: 1 },
      daysToAnswer: { count: 3, median: 5, p90: 31, distribution: { 1: 1, 5: 1, 31: 1 } },
      pending: { total: 1, late: 1 },
      extended: 1,
      forwarded: { total: 1, to: { SUPERSALUD: 1 } },
      completionRequested: 1,
      withdrawn: { tacit: 1, express: 1 },
      deemedAccepted: 1,
      denied: { full: 0, partial: 1, byGround: { '18-c': 1 } },
    });
    expect(q1.body).toEqual(expectedReport(history.counters.get('MINTIC')!, '2026-Q1', 'MINTIC'));
    const july = await get('/v1/public/entities/MINTIC/pqrsd-report?period=2026-07');
    expect(july.body).toEqual(expectedReport(history.counters.get('MINTIC')!, '2026-07', 'MINTIC'));
    expect(july.body).toMatchObject({ received: { total: 1 }, pending: { total: 1, late: 1 } });
    const national = await get('/v1/public/pqrsd-report?period=2026');
    const all = [...history.counters.values()].reduce<Cells>((sum, c) => {
      for (const [k, v] of Object.entries(c)) sum[k] = (sum[k] ?? 0) + v;
      return sum;
    }, {});
    expect(national.body).toEqual(expectedReport(all, '2026', null));
    expect(national.body).toMatchObject({ received: { total: 9 } });

    const csv = await get('/v1/public/entities/MINTIC/pqrsd-report.csv?period=2026-Q1');
    const rows = csv.text.split('\r\n');
    for (const row of [
      'received,total,7',
      'answered,late,1',
      'denied.byGround,18-c,1',
      'withdrawn,tacit,1',
    ]) {
      expect(rows).toContain(row);
    }
  });

  it('publishes the register row for row, paged, with its dictionary and DCAT metadata', async () => {
    const mintic = stored
      .filter((c) => c.entityId === 'MINTIC')
      .sort((a, b) => a.radicado.localeCompare(b.radicado));
    const expected = mintic.map((c) => registerRow(c, delivered.get(c.radicado)));
    const json = await get('/v1/public/entities/MINTIC/pqrsd-register.json?period=2026');
    expect(json.status).toBe(200);
    expect(json.body.items).toEqual(expected);
    // Each row's columns in the dictionary's order, as the CSV has them.
    expect(Object.keys((json.body.items as object[])[0]!)).toEqual(Object.keys(expected[0]!));
    expect(json.body.cursor).toBeUndefined();
    const denied = expected.find((r) => r.radicado === history.cases.denied.radicado)!;
    expect(denied).toMatchObject({
      outcome: 'partially_granted',
      denialGround: '18-c',
      businessDaysUsed: 1,
      notified: delivered.get(denied.radicado),
    });
    expect(expected.find((r) => r.radicado === history.cases.forwarded.radicado)).toMatchObject({
      outcome: 'forwarded',
      forwardedTo: 'SUPERSALUD',
      answered: null,
      notified: null,
    });
    // Two periods: the first quarter holds seven rows, July one.
    const q1 = await get('/v1/public/entities/MINTIC/pqrsd-register.json?period=2026-Q1');
    expect(q1.body.items).toHaveLength(7);
    const july = await get('/v1/public/entities/MINTIC/pqrsd-register.json?period=2026-07');
    expect((july.body.items as { radicado: string }[]).map((r) => r.radicado)).toEqual([
      history.cases.july.radicado,
    ]);

    // The CSV a page of three rows at a time, following Link rel="next": the pages make one file.
    let path: string | undefined = '/v1/public/entities/MINTIC/pqrsd-register.csv?period=2026&limit=3';
    let file = '';
    let pages = 0;
    while (path !== undefined) {
      const page = await get(path);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/csv');
      file += page.text;
      pages++;
      path = /<([^>]+)>; rel="next"/.exec(page.headers.get('link') ?? '')?.[1];
    }
    expect(pages).toBe(3);
    expect(file).toBe(registerCsvHeader() + registerCsvRows(expected));
    const bad = await get('/v1/public/entities/MINTIC/pqrsd-register.json?period=2026&cursor=eyJtIjoxfQ');
    expect(bad.status).toBe(400);

    const dictionary = await get('/v1/public/entities/MINTIC/pqrsd-register.csv?part=dictionary');
    expect(dictionary.text.split('\r\n')[0]).toBe('column,type,description');
    const metadata = await get('/v1/public/entities/MINTIC/pqrsd-register/metadata?period=2026-Q1');
    expect(metadata.status).toBe(200);
    expect(metadata.headers.get('content-type')).toContain('application/ld+json');
    expect(JSON.parse(metadata.text)).toMatchObject({
      '@type': 'dcat:Dataset',
      'dct:title': expect.stringContaining('Ministerio'),
      'dct:publisher': { 'dct:identifier': 'MINTIC' },
      'dct:license': 'https://creativecommons.org/licenses/by-sa/4.0/',
      'dct:accrualPeriodicity': 'http://purl.org/cu/freq/daily',
      'dct:temporal': { 'dcat:startDate': '2026-01-01', 'dcat:endDate': '2026-03-31' },
      'dcat:distribution': expect.arrayContaining([
        expect.objectContaining({
          'dcat:accessURL': `${system.baseUrl}/v1/public/entities/MINTIC/pqrsd-register.csv?period=2026-Q1`,
        }),
      ]),
    });
  });

  /** Files a case over the API and answers it as the officer it is assigned to; its radicado. */
  async function fileAndAnswer(body: Record<string, unknown>): Promise<string> {
    const filed = await call(system.baseUrl, 'POST', '/v1/cases', { body });
    expect(filed.status).toBe(201);
    const radicado = String(filed.body.radicado);
    await system.drain();
    const store = new DynamoCaseStore(system.ddb, system.tableName);
    const assignment = { type: 'assign', office: 'espectro', officer: 'officer-sub-2' } as const;
    await actAt(store, radicado, assignment, new Date().toISOString());
    const officer = await system.issuer.issue({
      entity: 'MINTIC',
      roles: ['officer'],
      offices: ['espectro'],
      subject: 'officer-sub-2',
    });
    const headers = { authorization: `Bearer ${officer}` };
    const view = await call(system.baseUrl, 'GET', `/v1/cases/${radicado}`, { headers });
    const answered = await call(system.baseUrl, 'POST', `/v1/cases/${radicado}/actions`, {
      body: { type: 'respond', answer: 'Respuesta de fondo.', outcome: 'granted' },
      headers: { ...headers, 'if-match': String(view.headers.get('etag')) },
    });
    expect(answered.status, answered.text).toBe(200);
    await system.drain();
    return radicado;
  }

  const rowOf = async (radicado: string) => {
    const month = today().slice(0, 7);
    const page = await get(`/v1/public/entities/MINTIC/pqrsd-register.json?period=${month}&limit=1000`);
    return (page.body.items as { radicado: string; notified: string | null }[]).find(
      (r) => r.radicado === radicado,
    );
  };

  it('fills notified from the real notice of an answer: filed, answered and notified over the system', async () => {
    const radicado = await fileAndAnswer(petition({ category: 'spectrum', subject: 'Antena en la vereda' }));
    expect(await rowOf(radicado)).toMatchObject({
      received: today(),
      answered: today(),
      notified: today(),
      outcome: 'granted',
      businessDaysUsed: expect.any(Number),
    });
  });

  it('moves notified to the end of the publication when the answer’s e-mail bounces and there is no phone', async () => {
    const { phone: _phone, ...noPhone } = petitioner;
    const radicado = await fileAndAnswer(petition({ category: 'spectrum', petitioner: noPhone }));
    expect((await rowOf(radicado))?.notified).toBe(today());
    // The answer's notice mark, and SES's report that its e-mail bounced.
    const marks = await system.ddb.send(
      new QueryCommand({
        TableName: system.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :notice)',
        ExpressionAttributeValues: { ':pk': `CASE#${radicado}`, ':notice': 'NOTICE#' },
      }),
    );
    const mark = marks.Items?.find((m) => m.kind === 'answered');
    expect(mark?.state).toBe('sent');
    const detail = {
      eventType: 'Bounce',
      mail: {
        messageId: String(mark?.messageId),
        destination: [petitioner.email],
        tags: {
          radicado: [radicado],
          event: [String(Number(String(mark?.sk).slice('NOTICE#EVENT#'.length)))],
        },
      },
      bounce: { bounceType: 'Permanent', timestamp: new Date().toISOString() },
    };
    await system.sqs.send(
      new SendMessageCommand({
        QueueUrl: system.queueUrls.deliveries,
        MessageBody: JSON.stringify({ source: 'aws.ses', 'detail-type': 'Email Bounce', detail }),
      }),
    );
    await system.drain();
    // Published instead (CPACA art. 69): notified the day after the five business days.
    expect((await rowOf(radicado))?.notified).toBe(publicationPeriod(today()).notifiedOn);
  });

  it('gives the entity’s management its report by office and officer, overdue cases by radicado', async () => {
    const supervisor = await system.issuer.issue({ entity: 'MINTIC', roles: ['supervisor'], offices: [] });
    const path = '/v1/entities/MINTIC/pqrsd-internal-report?from=2026-01-01&to=2026-07-31';
    const report = await call(system.baseUrl, 'GET', path, {
      headers: { authorization: `Bearer ${supervisor}` },
    });
    expect(report.status).toBe(200);
    const overdue = [history.cases.deemed, history.cases.july].map((c) => c.radicado).sort();
    expect(report.body).toMatchObject({
      entityId: 'MINTIC',
      totals: { received: 8, answered: 3, answeredOnTime: 2, answeredLate: 1, pending: 2, overdue: 2 },
    });
    expect((report.body.overdue as { radicado: string }[]).map((o) => o.radicado)).toEqual(overdue);
    const officers = report.body.byOfficer as { officer: string | null; answered: number }[];
    expect(officers.find((o) => o.officer === 'officer-1')).toMatchObject({ answered: 3 });

    const control = await system.issuer.issue({ entity: 'MINTIC', roles: ['internal_control'], offices: [] });
    const byControl = await call(system.baseUrl, 'GET', path, {
      headers: { authorization: `Bearer ${control}` },
    });
    expect(byControl.body).toEqual(report.body);
    const officer = await system.issuer.issue({ entity: 'MINTIC', roles: ['officer'], offices: [] });
    const refused = await call(system.baseUrl, 'GET', path, {
      headers: { authorization: `Bearer ${officer}` },
    });
    expect(refused.status).toBe(403);
    const other = await system.issuer.issue({ entity: 'MEDELLIN', roles: ['supervisor'], offices: [] });
    const elsewhere = await call(system.baseUrl, 'GET', path, {
      headers: { authorization: `Bearer ${other}` },
    });
    expect(elsewhere.status).toBe(404);
    expect((await call(system.baseUrl, 'GET', path)).status).toBe(401);
  });

  it('publishes no personal data or free text anywhere', async () => {
    for (const path of [
      '/v1/public/pqrsd-report.csv?period=2026',
      '/v1/public/entities/SUPERSALUD/pqrsd-register.json?period=2026',
      '/v1/public/entities/SUPERSALUD/pqrsd-register.csv?period=2026',
    ]) {
      expect((await get(path)).status).toBe(200);
    }
    const texts = stored.flatMap((c) => [c.subject, c.description]).filter((t) => t.length > 0);
    const text = published.join('\n');
    expect(published.length).toBeGreaterThanOrEqual(12);
    for (const personal of [
      petitioner.name,
      petitioner.idNumber,
      petitioner.email,
      petitioner.phone,
      ...texts,
    ]) {
      expect(text).not.toContain(personal);
    }
    expect(text).not.toMatch(/officer-1|supervisor-1/);
  });
});

/**
 * The whole story of one petition (issue 5's proof), over the local API as its users live it: a
 * citizen files, the case is routed, an officer asks for completion, the citizen completes, the
 * officer extends before expiry, answers, closes. Every date on the way is the clock module's for
 * the events stored; the history verifies; the outbox holds each notice to the citizen once; and
 * nothing the petitioner gave appears in any log line written meanwhile.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCaseStore } from '#adapters/dynamodb/caseStore.ts';
import { verifyChain } from '#domain/case/audit.ts';
import { lifecycleSeedOf } from '#domain/case/case.ts';
import { clockInputOf, lifecycleOf } from '#domain/case/lifecycle.ts';
import { computeClock } from '#domain/clock/index.ts';
import { seed } from '#infra/local/seed.ts';
import { call, type Reply } from '#test/support/client.ts';
import { type LocalSystem, useLocalSystem } from '#test/support/localEnv.ts';
import { captureLogs } from '#test/support/logCapture.ts';

let system: LocalSystem;
let store: DynamoCaseStore;
/** Everything logged while the story runs (handlers at DEBUG). */
const logs = captureLogs();

beforeAll(async () => {
  system = await useLocalSystem({ schedulers: false, logLevel: 'DEBUG' });
  store = new DynamoCaseStore(system.ddb, system.tableName);
  await seed();
  logs.start();
});
afterAll(async () => {
  logs.stop();
  await system?.stop();
});

/** Personal data the petitioner gives, every field distinctive enough to search for. */
const PETITIONER = {
  name: 'Hermenegilda Zapateiro Quintana',
  idType: 'CC',
  idNumber: '1098765432',
  email: 'hermenegilda.zq@example.org',
  phone: '+57 311 987 6543',
  address: 'Vereda Los Naranjos, finca La Esperanza',
};
const SUBJECT = 'Antena comunitaria de Los Naranjos';
const DESCRIPTION = 'Pido saber cuándo se instalará la antena comunitaria prometida a la vereda.';
const COMPLETION = 'Indique el número de familias de la vereda que usarían el servicio.';
const ANSWER = 'La antena se instalará en el primer trimestre; 42 familias quedarán cubiertas.';

async function outbox(): Promise<{ radicado: string; kind: string; to: string[]; text: string }[]> {
  const r = await call(system.baseUrl, 'GET', '/local/outbox');
  expect(r.status).toBe(200);
  return r.json as { radicado: string; kind: string; to: string[]; text: string }[];
}

/** The stored case's dates, as the clock module computes them from its stored events. */
async function clockOf(radicado: string) {
  const record = await store.get(radicado);
  if (!record) throw new Error(`no case ${radicado}`);
  return computeClock(clockInputOf(lifecycleOf(lifecycleSeedOf(record))), { trace: false });
}

describe('a petition from filing to closing', () => {
  it('keeps every date on the clock, every step in the trail, each notice once, and no personal data in the logs', async () => {
    // A citizen files.
    const filed = await call(system.baseUrl, 'POST', '/v1/cases', {
      body: {
        entityId: 'MINTIC',
        kind: 'petition',
        category: 'connectivity_programs',
        subject: SUBJECT,
        description: DESCRIPTION,
        petitioner: PETITIONER,
      },
      headers: { 'idempotency-key': 'story-0000-0000-0001' },
    });
    expect(filed.status).toBe(201);
    const radicado = String(filed.body.radicado);
    const trackingCode = String(filed.body.trackingCode);
    expect(filed.body.dueDate).toBe((await clockOf(radicado)).due);

    // The case is routed to the office of its category.
    await system.drain();
    const routed = await store.get(radicado);
    expect(routed).toMatchObject({ status: 'routed', office: 'conectividad' });

    const officer = await system.issuer.issue({
      entity: 'MINTIC',
      roles: ['officer'],
      offices: ['conectividad'],
      subject: 'officer-conectividad-1',
    });
    const auth = { authorization: `Bearer ${officer}` };
    const act = async (body: unknown): Promise<Reply> => {
      const view = await call(system.baseUrl, 'GET', `/v1/cases/${radicado}`, { headers: auth });
      expect(view.status).toBe(200);
      const r = await call(system.baseUrl, 'POST', `/v1/cases/${radicado}/actions`, {
        body,
        headers: { ...auth, 'if-match': view.headers.get('etag') ?? '' },
      });
      expect(r.status, r.text).toBe(200);
      return r;
    };
    const caseOf = (r: Reply) => r.body.case as Record<string, unknown>;

    // The officer takes it and asks the citizen to complete it (art. 17): the term stops.
    await act({ type: 'assign', office: 'conectividad', officer: 'officer-conectividad-1' });
    const asked = caseOf(await act({ type: 'request_completion', what: COMPLETION }));
    expect(asked.status).toBe('awaiting_completion');
    expect(asked.dueDate).toBeNull();
    const suspended = await clockOf(radicado);
    expect(asked.petitionerRespondBy).toBe(suspended.suspended?.respondBy);

    // The citizen completes it (recorded by the officer): the term runs again.
    const completed = caseOf(await act({ type: 'record_completion' }));
    const running = await clockOf(radicado);
    expect(completed.status).toBe('assigned');
    expect(completed.dueDate).toBe(running.due);
    expect(completed.maxExtendedDue).toBe(running.maxExtendedDue);

    // The officer extends before expiry, within the maximum (art. 14 parágrafo).
    const extended = caseOf(
      await act({
        type: 'extend',
        newDueDate: running.maxExtendedDue,
        reason: 'Se requiere visita técnica.',
      }),
    );
    expect(extended.dueDate).toBe(running.maxExtendedDue);
    expect((await clockOf(radicado)).due).toBe(running.maxExtendedDue);

    // The officer answers, then closes.
    const answered = caseOf(await act({ type: 'respond', answer: ANSWER, outcome: 'granted' }));
    expect(answered.answer).toMatchObject({ outcome: 'granted', late: false, text: ANSWER });
    const closed = caseOf(await act({ type: 'close' }));
    expect(closed.status).toBe('closed');

    // The citizen follows it with the tracking code: the answer (issue 13), no personal data.
    const followed = await call(system.baseUrl, 'GET', `/v1/cases/${radicado}`, {
      headers: { 'x-tracking-code': trackingCode },
    });
    expect(followed.status).toBe(200);
    expect(followed.body).toMatchObject({
      status: 'closed',
      dueDate: running.maxExtendedDue,
      answer: { text: ANSWER, outcome: 'granted' },
    });
    for (const value of [...Object.values(PETITIONER), SUBJECT, DESCRIPTION]) {
      expect(followed.text).not.toContain(value);
    }
    expect(followed.body.answer).toMatchObject({ outcome: 'granted', text: ANSWER });

    // The history verifies: the stored chain, and the supervisor's endpoint.
    const events = await store.events(radicado);
    expect(events.map((e) => e.type)).toEqual([
      'filed',
      'routed',
      'assigned',
      'completion_requested',
      'completed',
      'extended',
      'answered',
      'closed',
    ]);
    expect(verifyChain(events)).toEqual({ ok: true });
    const supervisor = await system.issuer.issue({ entity: 'MINTIC', roles: ['supervisor'] });
    const audit = await call(system.baseUrl, 'GET', `/v1/cases/${radicado}/audit`, {
      headers: { authorization: `Bearer ${supervisor}` },
    });
    expect(audit.status).toBe(200);
    expect(audit.body).toMatchObject({ ok: true, events: 8 });

    // The citizen was told each thing the law says they must be told, once, at their address.
    await system.drain();
    const notices = (await outbox()).filter((n) => n.radicado === radicado);
    const kinds = notices.map((n) => n.kind).sort();
    expect(kinds).toEqual(['answered', 'completion_requested', 'extended', 'filed']);
    for (const n of notices) expect(n.to).toEqual([PETITIONER.email]);
    expect(notices.find((n) => n.kind === 'answered')?.text).toContain(ANSWER);
    expect(notices.find((n) => n.kind === 'extended')?.text).toContain(radicado);
    // Draining again sends nothing twice.
    await system.drain();
    expect((await outbox()).filter((n) => n.radicado === radicado)).toHaveLength(notices.length);

    // No log line, from any handler or the local runtime, carries what the petitioner gave.
    const logged = logs.text();
    expect(logged.length).toBeGreaterThan(0);
    expect(logged).toContain(radicado);
    // The handlers' own structured lines are among them (Powertools JSON at DEBUG/INFO).
    expect(logged).toMatch(/"level": ?"(DEBUG|INFO)"/);
    for (const value of [
      ...Object.values(PETITIONER).filter((v) => v !== 'CC'),
      SUBJECT,
      DESCRIPTION,
      COMPLETION,
    ]) {
      expect(logged, `a log line holds "${value}"`).not.toContain(value);
    }
  });
});

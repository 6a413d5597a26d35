/**
 * The clock keeps watch (issue 5), on DynamoDB Local + fauxqs: cases filed through the intake
 * queue with receipts in the past (the legal receipt is the channel's), the scheduled sweep fired
 * twice, the notices read back from the local outbox. Each alert is sent once; a rerun sends nothing.
 */
import { GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCaseStore } from '#adapters/dynamodb/caseStore.ts';
import { DynamoEntityStore } from '#adapters/dynamodb/entityStore.ts';
import type { OutboxEntry } from '#adapters/notifier/outbox.ts';
import type { SweepReport } from '#app/sweep.ts';
import { verifyChain } from '#domain/case/audit.ts';
import type { CaseRecord } from '#domain/case/case.ts';
import { watchCase } from '#domain/case/watch.ts';
import { addBusinessDays } from '#domain/clock/index.ts';
import { clockSettings, DEFAULT_SEMAFORO, type Entity, termClassFor } from '#domain/entity.ts';
import type { Kind, Semaforo } from '#domain/vocabulary.ts';
import { seed } from '#infra/local/seed.ts';
import { call } from '#test/support/client.ts';
import { type LocalSystem, useLocalSystem } from '#test/support/localEnv.ts';
import { actAt } from './act.ts';
import { petition, petitioner } from './helpers.ts';

let system: LocalSystem;
let store: DynamoCaseStore;
let mintic: Entity;

beforeAll(async () => {
  system = await useLocalSystem({ schedulers: false });
  await seed();
  store = new DynamoCaseStore(system.ddb, system.tableName);
  const entity = await new DynamoEntityStore(system.ddb, system.tableName).get('MINTIC');
  if (!entity) throw new Error('MINTIC not seeded');
  mintic = entity;
});
afterAll(() => system?.stop());

const DAY_MS = 86_400_000;

/** A receipt instant (whole days ago, same time of day) at which a new case of `kind` is at `level` now. */
function receivedFor(kind: Kind, level: Semaforo, now: Date): string {
  for (let days = 1; days < 120; days++) {
    const receivedAt = new Date(now.getTime() - days * DAY_MS).toISOString();
    const d = watchCase(
      {
        radicado: 'MINTIC-2026-000001',
        entityId: 'MINTIC',
        status: 'routed',
        kind,
        termClass: termClassFor(mintic, kind),
        receivedAt,
        clockSettings: clockSettings(mintic),
        clockEvents: [],
        office: 'espectro',
      },
      now.toISOString(),
      mintic.semaforo ?? DEFAULT_SEMAFORO,
    );
    // Overdue by two business days or more: the level holds while the test runs.
    if (d.status?.semaforo === level && (level !== 'overdue' || d.status.businessDaysOverdue >= 2)) {
      return receivedAt;
    }
  }
  throw new Error(`no receipt puts a ${kind} at ${level} now`);
}

async function fileThroughIntake(externalId: string, body: Record<string, unknown>): Promise<void> {
  await system.sqs.send(
    new SendMessageCommand({
      QueueUrl: system.queueUrls.intake,
      MessageBody: JSON.stringify({ channel: 'email', externalId, ...body }),
    }),
  );
}

/** The pending cases of MINTIC by the intake id they were filed with. */
async function casesByExternalId(): Promise<Map<string, CaseRecord>> {
  const out = new Map<string, CaseRecord>();
  let cursor: string | undefined;
  do {
    const page = await store.listWatched('MINTIC', '9999-12-31', {
      limit: 100,
      ...(cursor ? { cursor } : {}),
    });
    // The watch index holds the sweeper's fields only: the intake id is on the whole case.
    for (const c of await store.getMany(page.items.map((w) => w.case.radicado))) {
      if (c.externalId) out.set(c.externalId, c);
    }
    cursor = page.cursor;
  } while (cursor);
  return out;
}

const outbox = async () => (await call(system.baseUrl, 'GET', '/local/outbox')).json as OutboxEntry[];

async function queueDepth(url: string): Promise<number> {
  const { Attributes = {} } = await system.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages ?? 0) +
    Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}

describe('the scheduled sweep', () => {
  it('alerts each threshold once, escalates overdue cases, marks deemed acceptance, names withdrawal candidates; a rerun sends nothing twice', async () => {
    // Prepare: five cases filed through intake at past receipts, routed to their offices.
    const now = new Date();
    const spectrum = (subject: string) => petition({ category: 'spectrum', subject });
    await fileThroughIntake('sweep-yellow', {
      ...spectrum('Amarillo'),
      receivedAt: receivedFor('petition', 'yellow', now),
    });
    await fileThroughIntake('sweep-red', {
      ...spectrum('Rojo'),
      receivedAt: receivedFor('petition', 'red', now),
    });
    await fileThroughIntake('sweep-overdue', {
      ...spectrum('Vencido'),
      receivedAt: receivedFor('petition', 'overdue', now),
    });
    await fileThroughIntake('sweep-info', {
      ...petition({ kind: 'information_request', subject: 'Contrato' }),
      receivedAt: receivedFor('information_request', 'overdue', now),
    });
    const longAgo = new Date(now.getTime() - 80 * DAY_MS);
    await fileThroughIntake('sweep-withdrawal', {
      ...spectrum('Incompleta'),
      receivedAt: longAgo.toISOString(),
    });
    await system.drain();
    let byId = await casesByExternalId();
    const id = (externalId: string): CaseRecord => {
      const c = byId.get(externalId);
      if (!c) throw new Error(`case ${externalId} not filed`);
      return c;
    };
    expect([...byId.keys()].sort()).toEqual(
      ['sweep-info', 'sweep-overdue', 'sweep-red', 'sweep-withdrawal', 'sweep-yellow'].sort(),
    );
    // The yellow one is assigned to an officer; the old one had its completion requested the day
    // after its receipt (the petitioner never answered: a month has long passed).
    await actAt(
      store,
      id('sweep-yellow').radicado,
      { type: 'assign', office: 'espectro', officer: 'officer-sub-1' },
      now.toISOString(),
    );
    const withdrawal = id('sweep-withdrawal');
    await actAt(
      store,
      withdrawal.radicado,
      { type: 'request_completion', what: 'Adjunte el número del contrato.' },
      `${addBusinessDays(withdrawal.receivedOn, 1)}T10:00:00-05:00`,
    );
    await system.drain();
    byId = await casesByExternalId();
    const before = await outbox();

    // Act: the sweep, twice.
    const first = (await system.fire('Sweep')) as SweepReport;
    await system.drain();
    const afterFirst = await outbox();
    const second = (await system.fire('Sweep')) as SweepReport;
    await system.drain();
    const afterSecond = await outbox();

    // Assess: one alert per threshold reached, then nothing.
    // The information request deemed accepted owes its copies within 3 days: copies_due (art. 14 num. 1).
    expect(first.alerts).toEqual({
      yellow: 1,
      red: 1,
      overdue: 2,
      withdrawal_candidate: 1,
      legend_due: 0,
      copies_due: 1,
    });
    expect(first.deemedAccepted).toBe(1);
    expect(first.withdrawalCandidates).toBe(1);
    expect(first.failed).toBe(0);
    expect(first.watched).toBe(5);
    expect(second.alerts).toEqual({
      yellow: 0,
      red: 0,
      overdue: 0,
      withdrawal_candidate: 0,
      legend_due: 0,
      copies_due: 0,
    });
    expect(second.deemedAccepted).toBe(0);
    // By time, not by scan (docs/adr/0017): the rerun reads only what a write placed since, the
    // information request its deemed acceptance wrote; the others wait for their next alert.
    expect(second.watched).toBe(1);
    expect(second.withdrawalCandidates).toBe(0);

    const sent = afterFirst.slice(before.length);
    const summary = sent.map((n) => `${n.kind} ${n.radicado} → ${n.to.join(',')}`).sort();
    expect(summary).toEqual(
      [
        `alert_yellow ${id('sweep-yellow').radicado} → officer:MINTIC/officer-sub-1`,
        `alert_red ${id('sweep-red').radicado} → office:MINTIC/espectro`,
        `alert_overdue ${id('sweep-overdue').radicado} → supervisors:MINTIC`,
        `alert_overdue ${id('sweep-info').radicado} → supervisors:MINTIC`,
        `alert_copies_due ${id('sweep-info').radicado} → office:MINTIC/transparencia`,
        `alert_withdrawal_candidate ${withdrawal.radicado} → office:MINTIC/espectro`,
        `deemed_accepted ${id('sweep-info').radicado} → ${petitioner.email}`,
      ].sort(),
    );
    // Staff alerts carry no personal data of the petitioner.
    for (const n of sent.filter((x) => x.kind.startsWith('alert_'))) {
      for (const personal of [
        petitioner.name,
        petitioner.idNumber,
        petitioner.email,
        'Amarillo',
        'Vencido',
      ]) {
        expect(n.text).not.toContain(personal);
      }
    }
    // The rerun sent nothing; every notice in the outbox is there once.
    expect(afterSecond).toEqual(afterFirst);
    expect(new Set(afterSecond.map((n) => n.id)).size).toBe(afterSecond.length);

    // Deemed acceptance is on the case and at the end of its chained audit trail.
    const info = await store.get(id('sweep-info').radicado);
    expect(info?.deemedAccepted).toBe(true);
    expect(info?.status).toBe('routed');
    const events = await store.events(id('sweep-info').radicado);
    expect(events.map((e) => e.type)).toEqual(['filed', 'routed', 'deemed_accepted']);
    expect(events.at(-1)?.actor).toEqual({ kind: 'system', id: 'sweeper' });
    expect(events.at(-1)?.data.dueDate).toBe(info?.dueDate);
    expect(verifyChain(events)).toEqual({ ok: true });

    // Nothing was dead-lettered on the way.
    expect(await queueDepth(system.dlqUrls.notifications)).toBe(0);
    expect(await queueDepth(system.pipeDlqUrls.Outbox ?? '')).toBe(0);
  });
});

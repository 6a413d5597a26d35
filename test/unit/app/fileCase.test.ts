/** Filing a PQRSD (fileCase.ts): the rules and refusals, against in-memory ports and the real clock. */
import { describe, expect, it } from 'vitest';
import { fileCase } from '#app/fileCase.ts';
import { trackingCodeMatches, unsealForNotice } from '#app/tracking.ts';
import { GENESIS_HASH, verifyChain } from '#domain/case/audit.ts';
import type { Filing } from '#domain/case/filing.ts';
import type { CategoryId } from '#domain/categories.ts';
import { computeClock } from '#domain/clock/index.ts';
import { clockSettings } from '#domain/entity.ts';
import type { TermClass } from '#domain/vocabulary.ts';
import {
  anonymousReport,
  citizen,
  DAY_MS,
  emailChannel,
  file,
  HOUR_MS,
  MINTIC,
  NOTICE_SECRET,
  NOW,
  petition,
  petitioner,
  petitionerWithoutEmail,
  refusalOf,
  SUPERSALUD,
  world,
} from './world.ts';

const idem = (key: string, request: unknown = { n: 1 }, permanent?: boolean) => ({
  scope: 'http',
  key,
  request,
  ...(permanent ? { permanent } : {}),
});

describe('fileCase: a new case', () => {
  it('gets the next radicado of its entity and year, its due date from the legal clock, a signed receipt', async () => {
    // Prepare
    const w = await world();
    const due = computeClock(
      { termClass: 'general', filed: NOW, entity: clockSettings(MINTIC) },
      { trace: false },
    ).due;

    // Act
    const first = await fileCase(w.filing, { filing: petition(), actor: citizen });
    const second = await fileCase(w.filing, { filing: petition(), actor: citizen });
    const elsewhere = await fileCase(w.filing, {
      filing: petition({ entityId: 'SUPERSALUD' }),
      actor: citizen,
    });

    // Assess
    expect([first.radicado, second.radicado, elsewhere.radicado]).toEqual([
      'MINTIC-2026-000001',
      'MINTIC-2026-000002',
      'SUPERSALUD-2026-000001',
    ]);
    expect(first).toMatchObject({
      entityId: 'MINTIC',
      kind: 'petition',
      termClass: 'general',
      receivedAt: NOW,
      dueDate: due,
      status: 'received',
    });
    const stored = await w.cases.get(first.radicado);
    expect(stored).toMatchObject({ status: 'received', version: 1, lastEventSeq: 1, dueDate: due });
    expect(await w.signer.verify(first.receipt)).toMatchObject({
      radicado: first.radicado,
      entityId: 'MINTIC',
      receivedAt: NOW,
      dueDate: due,
      contentSha256: stored?.contentSha256,
    });
  });

  it('gives the citizen a tracking code that only its hash is kept of', async () => {
    const w = await world();
    const filed = await fileCase(w.filing, { filing: petition(), actor: citizen });
    const stored = await w.cases.get(filed.radicado);
    expect(filed.trackingCode).toMatch(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){3}$/);
    expect(JSON.stringify(stored)).not.toContain(filed.trackingCode);
    expect(trackingCodeMatches(filed.trackingCode, stored!.trackingHash)).toBe(true);
  });

  it('starts a hash-chained trail with the filing, naming who filed', async () => {
    const w = await world();
    const { record } = await file(w, petition(), { actor: emailChannel, externalId: 'mail-1' });
    const events = await w.cases.events(record.radicado);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      seq: 1,
      type: 'filed',
      prevHash: GENESIS_HASH,
      actor: emailChannel,
      data: { kind: 'petition', channel: 'web', anonymous: false, dueDate: record.dueDate },
    });
    expect(verifyChain(events)).toEqual({ ok: true });
    expect(record.lastEventHash).toBe(events[0]!.hash);
    expect(record.externalId).toBe('mail-1');
  });

  it('numbers by the year in Bogotá (UTC−5), not the UTC year', async () => {
    // Prepare: 31 December 2026, 22:00 in Bogotá, already 2027 in UTC.
    const w = await world('2027-01-01T03:00:00.000Z');

    // Act
    const lateEvening = await fileCase(w.filing, { filing: petition(), actor: citizen });
    w.clock.set('2027-01-01T05:00:00.000Z');
    const newYear = await fileCase(w.filing, { filing: petition(), actor: citizen });

    // Assess
    expect(lateEvening.radicado).toBe('MINTIC-2026-000001');
    expect(newYear.radicado).toBe('MINTIC-2027-000001');
  });

  it('keeps the entity’s clock settings in force at receipt: a shorter term gives an earlier due date', async () => {
    const w = await world();
    const mintic = await file(w, petition());
    const supersalud = await file(w, petition({ entityId: 'SUPERSALUD' }));
    expect(supersalud.record.clockSettings).toEqual(clockSettings(SUPERSALUD));
    expect(supersalud.record.dueDate! < mintic.record.dueDate!).toBe(true);
    expect(supersalud.record.dueDate).toBe(
      computeClock({ termClass: 'general', filed: NOW, entity: clockSettings(SUPERSALUD) }, { trace: false })
        .due,
    );
  });

  it('marks priority (art. 20) and anonymous reports', async () => {
    const w = await world();
    const journalist = await file(w, petition({ petitioner: { ...petitioner, journalist: true } }));
    const anonymous = await file(w, anonymousReport({ category: 'corruption' }));
    expect(journalist.record.priority).toBe(true);
    expect(anonymous.record).toMatchObject({ anonymous: true, priority: false });
    expect(anonymous.record.petitioner).toBeUndefined();
  });
});

describe('fileCase: refusals, with nothing stored', () => {
  it('a citizen files over the web API as web or portal only; a channel files as itself', async () => {
    // Prepare
    const w = await world();

    // Act
    const email = await refusalOf(
      fileCase(w.filing, { filing: petition({ channel: 'email' }), actor: citizen }),
    );
    const portal = await fileCase(w.filing, { filing: petition({ channel: 'portal' }), actor: citizen });
    const intake = await fileCase(w.filing, { filing: petition({ channel: 'email' }), actor: emailChannel });

    // Assess
    expect(email).toMatchObject({ code: 'invalid', issues: [{ field: 'channel' }] });
    expect([portal.radicado, intake.radicado]).toEqual(['MINTIC-2026-000001', 'MINTIC-2026-000002']);
  });

  it('gives a query or a claim about personal data its Ley 1581 term (habeas data)', async () => {
    // Prepare
    const w = await world();
    const filed = (kind: 'query' | 'claim' | 'petition', category: CategoryId) =>
      fileCase(w.filing, { filing: petition({ kind, category }), actor: citizen });
    const days = (termClass: TermClass) =>
      computeClock({ termClass, filed: NOW, entity: clockSettings(MINTIC) }, { trace: false }).due;

    // Act
    const query = await filed('query', 'personal_data');
    const claim = await filed('claim', 'personal_data');
    const petitionOnData = await filed('petition', 'personal_data');
    const plainQuery = await filed('query', 'telecommunications');

    // Assess
    expect(query).toMatchObject({
      termClass: 'data_protection_query',
      dueDate: days('data_protection_query'),
    });
    expect(claim).toMatchObject({
      termClass: 'data_protection_claim',
      dueDate: days('data_protection_claim'),
    });
    expect(await w.cases.get(claim.radicado)).toHaveProperty('legendBy');
    expect(petitionOnData.termClass).toBe('general');
    expect(plainQuery.termClass).toBe('query');
  });

  it('refuses an entity that does not exist, with nothing stored', async () => {
    const w = await world();
    const unknown = await refusalOf(
      fileCase(w.filing, { filing: petition({ entityId: 'NOPE' }), actor: citizen }),
    );
    expect(unknown).toMatchObject({ code: 'invalid', issues: [{ field: 'entityId' }] });
    expect(w.cases.all()).toEqual([]);
  });

  it('files a kind the entity does not list, and a petition lacking data, flagged (Ley 1755 art. 15 par. 2)', async () => {
    const w = await world();
    const query = await fileCase(w.filing, {
      filing: petition({ entityId: 'MEDELLIN', kind: 'query' }),
      actor: citizen,
    });
    expect(query).toMatchObject({ status: 'received', termClass: 'query' });
    expect(await w.cases.get(query.radicado)).not.toHaveProperty('completionSuggested');
    const { petitioner: _p, ...bare } = petition();
    const nameless = await fileCase(w.filing, { filing: bare as Filing, actor: citizen });
    expect(await w.cases.get(nameless.radicado)).toMatchObject({
      completionSuggested: { missing: ['petitioner'] },
    });
  });

  it('takes a forwarded case whatever kinds the competent entity lists (art. 21)', async () => {
    const w = await world();
    const forwarded = await fileCase(w.filing, {
      filing: petition({ entityId: 'MEDELLIN', kind: 'query' }),
      actor: { kind: 'officer', id: 'officer-1' },
      forwardedFrom: { entityId: 'MINTIC', radicado: 'MINTIC-2026-000009' },
      trackingHash: 'a'.repeat(64),
    });
    const stored = await w.cases.get(forwarded.radicado);
    expect(stored).toMatchObject({
      forwardedFrom: { entityId: 'MINTIC', radicado: 'MINTIC-2026-000009' },
      trackingHash: 'a'.repeat(64),
    });
    // The petitioner follows it with the code they hold: no new code is given.
    expect(forwarded.trackingCode).toBe('');
  });

  it('refuses a receipt more than five minutes in the future, and dates a past one as the channel says', async () => {
    // Prepare
    const w = await world();
    const now = Date.parse(NOW);

    // Act
    const future = await refusalOf(
      fileCase(w.filing, {
        filing: petition(),
        actor: emailChannel,
        receivedAt: new Date(now + 5 * 60_000 + 1),
      }),
    );
    const skew = await fileCase(w.filing, {
      filing: petition(),
      actor: emailChannel,
      receivedAt: new Date(now + 5 * 60_000),
    });
    const past = new Date(now - 10 * DAY_MS);
    const late = await fileCase(w.filing, { filing: petition(), actor: emailChannel, receivedAt: past });

    // Assess
    expect(future).toMatchObject({ code: 'invalid', issues: [{ field: 'receivedAt' }] });
    expect(skew.radicado).toBe('MINTIC-2026-000001');
    expect(late.receivedAt).toBe(past.toISOString());
    expect(late.dueDate).toBe(
      computeClock(
        { termClass: 'general', filed: past.toISOString(), entity: clockSettings(MINTIC) },
        { trace: false },
      ).due,
    );
  });

  it('answers busy, retry in 1 s, when no radicado could be had within the budget', async () => {
    const w = await world();
    const error = await refusalOf(
      fileCase({ ...w.filing, filingBudgetMs: 0 }, { filing: petition(), actor: citizen }),
    );
    expect(error).toMatchObject({ code: 'busy', problem: { retryAfterSeconds: 1 } });
    expect(w.cases.counter('MINTIC', 2026)).toBe(0);
  });
});

describe('fileCase: idempotency', () => {
  it('answers a retried request as the first time, tracking code included, and files once', async () => {
    // Prepare
    const w = await world();
    const first = await fileCase(w.filing, {
      filing: petition(),
      actor: citizen,
      idempotency: idem('key-1'),
    });

    // Act
    const retried = await fileCase(w.filing, {
      filing: petition(),
      actor: citizen,
      idempotency: idem('key-1'),
    });

    // Assess
    expect(retried).toEqual(first);
    expect(w.cases.counter('MINTIC', 2026)).toBe(1);
  });

  it('refuses a key used with another request (422 on Idempotency-Key)', async () => {
    const w = await world();
    await fileCase(w.filing, { filing: petition(), actor: citizen, idempotency: idem('key-1', { n: 1 }) });
    const conflict = await refusalOf(
      fileCase(w.filing, { filing: petition(), actor: citizen, idempotency: idem('key-1', { n: 2 }) }),
    );
    expect(conflict).toMatchObject({ code: 'invalid', issues: [{ field: 'header.idempotency-key' }] });
    expect(w.cases.counter('MINTIC', 2026)).toBe(1);
  });

  it('keeps keys apart by scope, and forgets them after the TTL', async () => {
    // Prepare
    const w = await world();
    const a = await fileCase(w.filing, { filing: petition(), actor: citizen, idempotency: idem('key-1') });

    // Act
    const otherScope = await fileCase(w.filing, {
      filing: petition(),
      actor: citizen,
      idempotency: { ...idem('key-1'), scope: 'intake#email' },
    });
    w.clock.advance(24 * HOUR_MS + 1000);
    const afterTtl = await fileCase(w.filing, {
      filing: petition(),
      actor: citizen,
      idempotency: idem('key-1'),
    });

    // Assess
    expect(a.radicado).toBe('MINTIC-2026-000001');
    expect(otherScope.radicado).toBe('MINTIC-2026-000002');
    expect(afterTtl.radicado).toBe('MINTIC-2026-000003');
  });

  it('a permanent key (a channel’s message id) files once for good, its code sealed for the notice only', async () => {
    // Prepare
    const w = await world();
    const command = {
      filing: petition({ channel: 'email' }),
      actor: emailChannel,
      externalId: 'mail-7',
      idempotency: idem('mail-7', { body: 'x' }, true),
    };
    const first = await fileCase(w.filing, command);

    // Act
    w.clock.advance(400 * DAY_MS);
    const redelivered = await fileCase(w.filing, command);

    // Assess
    expect(redelivered.radicado).toBe(first.radicado);
    expect(redelivered.trackingCode).toBe('');
    const stored = await w.cases.get(first.radicado);
    expect(stored?.trackingSealed).toBeDefined();
    const code = unsealForNotice([NOTICE_SECRET], stored!.trackingSealed!);
    expect(trackingCodeMatches(code, stored!.trackingHash)).toBe(true);
    expect(w.cases.counter('MINTIC', 2026)).toBe(1);
  });

  it('seals no code for a notice when the channel filing has neither email nor phone to send it to', async () => {
    const w = await world();
    const { email: _e, phone: _p, ...nameOnly } = petitioner;
    const addressOnly = { ...nameOnly, address: 'Calle 1 # 2-3, Bogotá' };
    const { record } = await file(w, petition({ channel: 'email', petitioner: addressOnly }), {
      actor: emailChannel,
      idempotency: idem('mail-8', {}, true),
    });
    expect(record.trackingSealed).toBeUndefined();
    const phoneOnly = await file(
      w,
      petition({ channel: 'call_centre', petitioner: petitionerWithoutEmail }),
      {
        actor: emailChannel,
        idempotency: idem('call-9', {}, true),
      },
    );
    expect(phoneOnly.record.trackingSealed).toEqual(expect.any(String));
  });
});

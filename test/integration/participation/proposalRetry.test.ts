/**
 * A proposal at its threshold whose conversion to a case failed is not left waiting for another
 * support: it is in the index of proposals to convert, and the schedule's retry
 * (convertDueProposals) converts it, exactly once whatever runs at the same time. On DynamoDB
 * Local with the real stores; the failure is injected by a wrapper around the real case store
 * (its first filings throw), not by a mock of it.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '#adapters/clock.ts';
import { DynamoCaseStore } from '#adapters/dynamodb/caseStore.ts';
import { DynamoEntityStore } from '#adapters/dynamodb/entityStore.ts';
import { keys as tableKeys } from '#adapters/dynamodb/keys.ts';
import { DynamoProposalStore } from '#adapters/dynamodb/proposalStore.ts';
import { shardFor } from '#adapters/dynamodb/shardedCounter.ts';
import { Ed25519ReceiptSigner } from '#adapters/receipts/ed25519Signer.ts';
import type { FileCaseDeps } from '#app/fileCase.ts';
import { type ConvertDeps, convertDueProposals } from '#app/proposalConvert.ts';
import { type CitizenRef, citizenRef } from '#app/proposalCreate.ts';
import { type SupportDeps, supportProposal } from '#app/supportProposal.ts';
import { citizenPseudonymText } from '#domain/actor.ts';
import { proposalCounterGroup } from '#domain/participation/proposal.ts';
import { seed } from '#infra/local/seed.ts';
import type { CaseStore } from '#ports/index.ts';
import type { ProposalStore } from '#ports/proposals.ts';
import type { Pseudonyms } from '#ports/pseudonyms.ts';
import { call } from '#test/support/client.ts';
import { systemPseudonyms, testPseudonyms } from '#test/support/fakes/index.ts';
import { type LocalSystem, useLocalSystem } from '#test/support/localEnv.ts';

let system: LocalSystem;
let proposals: DynamoProposalStore;
let cases: DynamoCaseStore;
let filing: FileCaseDeps;
let keys: Pseudonyms;

/** `target` whose `method` throws the next `failures.left` calls, then is the real one. */
function failing<T extends object>(target: T, method: keyof T, failures: { left: number }): T {
  return new Proxy(target, {
    get(t, name) {
      const value = Reflect.get(t, name, t) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (name === method && failures.left > 0) {
          failures.left--;
          return Promise.reject(new Error(`injected failure of ${String(name)}`));
        }
        return (value as (...a: unknown[]) => unknown).apply(t, args);
      };
    },
  });
}

beforeAll(async () => {
  system = await useLocalSystem({ schedulers: false });
  await seed();
  proposals = new DynamoProposalStore(system.ddb, system.tableName);
  cases = new DynamoCaseStore(system.ddb, system.tableName);
  keys = await systemPseudonyms(system.env);
  filing = {
    cases,
    entities: new DynamoEntityStore(system.ddb, system.tableName),
    signer: await Ed25519ReceiptSigner.fromJwk(system.env.RECEIPT_SIGNING_KEY!),
    clock: systemClock,
    idempotencyTtlHours: 24,
    filingBudgetMs: 6000,
  };
});
afterAll(() => system?.stop());

const author = {
  name: 'Luisa Fernanda Rojas',
  idType: 'CC',
  idNumber: '1032456789',
  email: 'luisa.rojas@example.com',
};

/** A citizen as the support use case sees one: the system's pseudonyms, as the API. */
const citizen = (subject: string): CitizenRef =>
  citizenRef(keys, { issuer: system.env.CITIZEN_AUTH_ISSUER!.replace(/\/+$/, ''), subject });

/** A new MINTIC proposal (threshold 3 in the seed), made through the API. */
async function propose(title: string): Promise<string> {
  const token = await system.issuer.issueCitizen({ subject: `author-${title}` });
  const made = await call(system.baseUrl, 'POST', '/v1/public/proposals', {
    headers: { authorization: `Bearer ${token}` },
    body: {
      entityId: 'MINTIC',
      title,
      description: 'Proponemos conectar la biblioteca municipal a internet de alta velocidad.',
      category: 'connectivity_programs',
      author,
    },
  });
  expect(made.status, made.text).toBe(201);
  expect(made.body.threshold).toBe(3);
  return String(made.body.id);
}

/** The radicados of the cases in MINTIC's connectivity inbox whose subject names `title`. */
async function inboxCases(title: string): Promise<string[]> {
  await system.drain();
  const token = await system.issuer.issue({ entity: 'MINTIC', roles: ['supervisor'] });
  const inbox = await call(system.baseUrl, 'GET', '/v1/inbox?office=conectividad&limit=100', {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(inbox.status, inbox.text).toBe(200);
  return (inbox.body.items as { radicado: string; subject: string }[])
    .filter((c) => c.subject === `Propuesta ciudadana: ${title}`)
    .map((c) => c.radicado);
}

describe('proposal conversion retry', () => {
  it('a conversion that failed leaves the proposal to convert; the retry converts it once', {
    timeout: 60_000,
  }, async () => {
    // Prepare: the filing fails once, when the third support reaches the threshold.
    const title = 'Biblioteca conectada: reintento';
    const id = await propose(title);
    const failures = { left: 1 };
    const reported: string[] = [];
    const deps: SupportDeps = {
      proposals,
      filing: { ...filing, cases: failing<CaseStore>(cases, 'fileCase', failures) },
      onConversionError: (proposalId, error) => {
        reported.push(proposalId);
        expect(String(error)).toContain('injected failure of fileCase');
      },
    };

    // Act: three supports; the third reaches the threshold and its conversion fails.
    const results = [];
    for (const subject of ['retry-1', 'retry-2', 'retry-3']) {
      results.push(await supportProposal(deps, { proposalId: id, supporter: citizen(subject) }));
    }

    // Assess: every support counted, the proposal still open but marked to convert.
    expect(results.map((r) => [r.outcome, r.status, r.radicado])).toEqual([
      ['counted', 'open', null],
      ['counted', 'open', null],
      ['counted', 'open', null],
    ]);
    expect(failures.left).toBe(0);
    expect(reported).toEqual([id]);
    const waiting = await proposals.get(id);
    expect(waiting).toMatchObject({ status: 'open' });
    expect(waiting?.reachedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(await proposals.listToConvert(100)).toContain(id);
    expect(await inboxCases(title)).toEqual([]);

    // Act: the schedule's retry, with the filing working again.
    const retry: ConvertDeps = { proposals, filing };
    const run = await convertDueProposals(retry, { limit: 100 });

    // Assess: converted, out of the index, one case routed to the entity's inbox.
    expect(run.converted).toContain(id);
    expect(run.failed.map((f) => f.proposalId)).not.toContain(id);
    const converted = await proposals.get(id);
    expect(converted).toMatchObject({ status: 'converted', reachedAt: waiting?.reachedAt });
    const radicado = String(converted?.radicado);
    expect(radicado).toMatch(/^MINTIC-\d{4}-\d{6}$/);
    expect(await cases.get(radicado)).toMatchObject({
      kind: 'petition',
      channel: 'participation',
      externalId: id,
      petitioner: author,
      subject: `Propuesta ciudadana: ${title}`,
    });
    expect(await proposals.listToConvert(100)).not.toContain(id);
    expect(await inboxCases(title)).toEqual([radicado]);
    const shown = await call(system.baseUrl, 'GET', `/v1/public/proposals/${id}`);
    expect(shown.body).toMatchObject({ status: 'converted', radicado, supports: 3 });

    // Another run finds nothing of it; a later support files nothing more.
    expect((await convertDueProposals(retry, { limit: 100 })).converted).not.toContain(id);
    const late = await supportProposal(
      { proposals, filing },
      { proposalId: id, supporter: citizen('retry-late') },
    );
    expect(late).toMatchObject({ outcome: 'counted', status: 'converted', radicado });
    expect(await inboxCases(title)).toEqual([radicado]);
  });

  it('a conversion the filing refuses is failed for good: off the index, shown so, never filed', async () => {
    // Prepare: two supports, then the threshold reached while the entity is gone.
    const title = 'Biblioteca conectada: entidad cerrada';
    const id = await propose(title);
    for (const subject of ['gone-1', 'gone-2']) {
      await supportProposal({ proposals, filing }, { proposalId: id, supporter: citizen(subject) });
    }
    await proposals.markReached(id, new Date().toISOString());
    const gone: FileCaseDeps = {
      ...filing,
      entities: { get: async () => undefined, list: async () => [], put: async () => {} },
    };

    // Act
    const run = await convertDueProposals({ proposals, filing: gone }, { limit: 100 });
    const next = await convertDueProposals({ proposals, filing }, { limit: 100 });
    const late = await supportProposal(
      { proposals, filing },
      { proposalId: id, supporter: citizen('gone-3') },
    );

    // Assess
    expect(run.refused).toEqual([
      { proposalId: id, reason: [expect.objectContaining({ field: 'entityId' })] },
    ]);
    expect(await proposals.get(id)).toMatchObject({
      status: 'conversion_failed',
      failedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      failure: [expect.objectContaining({ field: 'entityId' })],
    });
    expect(await proposals.listToConvert(100)).not.toContain(id);
    expect([...next.converted, ...next.refused.map((r) => r.proposalId)]).not.toContain(id);
    expect(late).toMatchObject({ outcome: 'counted', status: 'conversion_failed', radicado: null });
    const shown = await call(system.baseUrl, 'GET', `/v1/public/proposals/${id}`);
    expect(shown.status, shown.text).toBe(200);
    expect(shown.body).toMatchObject({ status: 'conversion_failed', radicado: null, supports: 3 });
    expect(await inboxCases(title)).toEqual([]);
  });

  it('retries racing each other and a support file one case, all naming it', {
    timeout: 60_000,
  }, async () => {
    const title = 'Biblioteca conectada: carrera';
    const id = await propose(title);
    const failures = { left: 1 };
    const flaky: SupportDeps = {
      proposals,
      filing: { ...filing, cases: failing<CaseStore>(cases, 'fileCase', failures) },
    };
    for (const subject of ['race-1', 'race-2', 'race-3']) {
      await supportProposal(flaky, { proposalId: id, supporter: citizen(subject) });
    }
    expect(failures.left).toBe(0);
    expect((await proposals.get(id))?.status).toBe('open');

    // Act: two schedule runs, a support through the use case and one through the API, at once.
    const token = await system.issuer.issueCitizen({ subject: 'race-api' });
    const [a, b, viaUseCase, viaApi] = await Promise.all([
      convertDueProposals({ proposals, filing }, { limit: 100 }),
      convertDueProposals({ proposals, filing }, { limit: 100 }),
      supportProposal({ proposals, filing }, { proposalId: id, supporter: citizen('race-4') }),
      call(system.baseUrl, 'POST', `/v1/public/proposals/${id}/supports`, {
        headers: { authorization: `Bearer ${token}` },
      }),
    ]);

    // Assess: one radicado everywhere, one case in the inbox.
    const radicado = (await proposals.get(id))?.radicado;
    expect(radicado).toMatch(/^MINTIC-\d{4}-\d{6}$/);
    expect([...a.failed, ...b.failed].map((f) => f.proposalId)).not.toContain(id);
    expect(viaApi.status).toBe(201);
    for (const named of [viaUseCase.radicado, viaApi.body.radicado]) {
      expect([radicado, null]).toContain(named);
    }
    expect(await inboxCases(title)).toEqual([radicado]);
    expect(await proposals.recount(id)).toBe(5);
  });

  it('a support whose mark to convert could not be written fails, and its retry converts', async () => {
    const title = 'Biblioteca conectada: marca';
    const id = await propose(title);
    const failures = { left: 1 };
    const deps: SupportDeps = {
      proposals: failing<ProposalStore>(proposals, 'markReached', failures),
      filing,
    };
    await supportProposal(deps, { proposalId: id, supporter: citizen('mark-1') });
    await supportProposal(deps, { proposalId: id, supporter: citizen('mark-2') });
    // The third support is counted, but nothing would retry its conversion: the request fails
    // (a 500 over HTTP) instead of answering success.
    await expect(supportProposal(deps, { proposalId: id, supporter: citizen('mark-3') })).rejects.toThrow(
      'injected failure of markReached',
    );
    expect(await proposals.supports(id, { consistent: true })).toBe(3);
    expect((await proposals.get(id))?.reachedAt).toBeUndefined();
    // The client's retry: already counted, and it converts.
    const retried = await supportProposal(deps, { proposalId: id, supporter: citizen('mark-3') });
    expect(retried).toMatchObject({ outcome: 'already_counted', status: 'converted' });
    expect(await inboxCases(title)).toEqual([retried.radicado]);
  });
});

describe('supports across a rotation of the pseudonym key', () => {
  it('refuses a citizen who supported under the earlier version, counts another, keeps each version', async () => {
    // Prepare
    const id = await propose('Biblioteca conectada: rotación de claves');
    const [v1, v2] = [testPseudonyms('rotation-v1'), testPseudonyms('rotation-v1', 'rotation-v2')];
    const of = (p: Pseudonyms, subject: string) =>
      p.every(citizenPseudonymText(proposalCounterGroup(id), { issuer: 'https://idp.test', subject }));
    const at = new Date().toISOString();
    expect(await proposals.addSupport(id, of(v1, 'ana'), at)).toBe('added');

    // Act
    const ana = await proposals.addSupport(id, of(v2, 'ana'), at);
    const luis = await proposals.addSupport(id, of(v2, 'luis'), at);
    const luisAgain = await proposals.addSupport(id, of(v2, 'luis'), at);

    // Assess
    expect([ana, luis, luisAgain]).toEqual(['duplicate', 'added', 'duplicate']);
    expect(await proposals.supports(id, { consistent: true })).toBe(2);
    expect(await proposals.recount(id)).toBe(2);
    const stored = async (p: { hash: string }) =>
      (
        await system.ddb.send(
          new GetCommand({
            TableName: system.tableName,
            Key: tableKeys.support(id, shardFor(p.hash), p.hash),
          }),
        )
      ).Item;
    expect(await stored(of(v1, 'ana')[0]!)).toMatchObject({ keyVersion: 1 });
    expect(await stored(of(v2, 'ana')[0]!)).toBeUndefined();
    expect(await stored(of(v2, 'luis')[0]!)).toMatchObject({ keyVersion: 2 });
  });
});

/**
 * Citizens' proposals (proposalCreate.ts, proposalRead.ts, supportProposal.ts, proposalConvert.ts):
 * made against the entity's rules, supported once per citizen, and converted exactly once into a
 * petition when the supports reach the threshold fixed at creation; a failed conversion is left
 * for the schedule, never forgotten.
 */
import { describe, expect, it } from 'vitest';
import {
  ConversionRefusedError,
  convertDueProposals,
  convertIfReached,
  convertProposal,
} from '#app/proposalConvert.ts';
import { type CitizenRef, createProposal } from '#app/proposalCreate.ts';
import { getPublicProposal, listPublicProposals } from '#app/proposalRead.ts';
import { type SupportDeps, supportProposal } from '#app/supportProposal.ts';
import { PROPOSAL_ID, type ProposalInput, ProposalInputSchema } from '#domain/participation/proposal.ts';
import { testPseudonyms } from '#test/support/fakes/index.ts';
import { citizenRef, MINTIC, NOW, onceBefore, petitioner, refusalOf, type World, world } from './world.ts';

function proposalInput(overrides: Partial<ProposalInput> = {}): ProposalInput {
  return ProposalInputSchema.parse({
    entityId: 'MINTIC',
    title: 'Zonas wifi en las veredas',
    description: 'Proponemos instalar zonas wifi gratuitas en las veredas del municipio.',
    author: petitioner,
    ...overrides,
  });
}

const author = citizenRef('author');
const deps = (w: World) => ({ proposals: w.proposals, entities: w.entities, clock: w.clock });
const supportDeps = (w: World, extra: Partial<SupportDeps> = {}): SupportDeps => ({
  proposals: w.proposals,
  filing: w.filing,
  ...extra,
});
const support = (w: World, proposalId: string, who: CitizenRef, extra: Partial<SupportDeps> = {}) =>
  supportProposal(supportDeps(w, extra), { proposalId, supporter: who });

/** A MINTIC proposal (threshold 3). */
async function proposed(w: World, overrides: Partial<ProposalInput> = {}) {
  return createProposal(deps(w), { input: proposalInput(overrides), author });
}

describe('createProposal', () => {
  it('makes an open proposal under the entity’s threshold, shown without its author', async () => {
    // Prepare
    const w = await world();

    // Act
    const mintic = await proposed(w);
    const supersalud = await proposed(w, { entityId: 'SUPERSALUD' });

    // Assess
    expect(mintic).toMatchObject({
      entityId: 'MINTIC',
      status: 'open',
      supports: 0,
      threshold: 3,
      createdAt: NOW,
      radicado: null,
    });
    expect(mintic.id).toMatch(PROPOSAL_ID);
    expect(mintic.id.startsWith('MINTIC-P-')).toBe(true);
    expect(supersalud.threshold).toBe(100);
    expect(JSON.stringify(mintic)).not.toContain(petitioner.idNumber);
    const stored = await w.proposals.get(mintic.id);
    expect(stored?.authorHash).toBe(author.pseudonymsFor(`proposal:${mintic.id}`)[0]?.hash);
    expect(stored?.authorKeyVersion).toBe(1);
    expect(stored?.author).toEqual(petitioner);
  });

  it('refuses an entity that does not exist or takes no petitions, and a category not its own', async () => {
    const w = await world();
    const unknown = await refusalOf(proposed(w, { entityId: 'NOPE' }));
    const noPetitions = await refusalOf(proposed(w, { entityId: 'MEDELLIN' }));
    const category = await refusalOf(proposed(w, { category: 'health_insurance' }));
    expect(unknown).toMatchObject({ code: 'invalid', issues: [{ field: 'entityId' }] });
    expect(noPetitions).toMatchObject({ code: 'invalid', issues: [{ field: 'entityId' }] });
    expect(category).toMatchObject({ code: 'invalid', issues: [{ field: 'category' }] });
    expect((await w.proposals.listByEntity('MINTIC', { limit: 10 })).items).toEqual([]);
  });
});

describe('reading proposals', () => {
  it('shows one with its supports, and not-found for an unknown id', async () => {
    const w = await world();
    const p = await proposed(w);
    await support(w, p.id, citizenRef('a'));
    expect(await getPublicProposal(w, p.id)).toMatchObject({ id: p.id, supports: 1 });
    expect((await refusalOf(getPublicProposal(w, 'MINTIC-P-00000000'))).code).toBe('not_found');
  });

  it('lists an entity’s proposals newest first, in pages, each with its supports', async () => {
    // Prepare
    const w = await world();
    const older = await proposed(w, { title: 'Primera' });
    w.clock.advance(60_000);
    const newer = await proposed(w, { title: 'Segunda' });
    await proposed(w, { entityId: 'SUPERSALUD' });
    await support(w, older.id, citizenRef('a'));

    // Act
    const first = await listPublicProposals(w, 'MINTIC', { limit: 1 });
    const second = await listPublicProposals(w, 'MINTIC', { limit: 1, cursor: first.cursor! });

    // Assess
    expect([...first.items, ...second.items].map((p) => [p.id, p.supports])).toEqual([
      [newer.id, 0],
      [older.id, 1],
    ]);
    expect(second.cursor).toBeUndefined();
    // Another listing's cursor: the caller's mistake, a 400 naming query.cursor.
    await expect(
      listPublicProposals(w, 'SUPERSALUD', { limit: 1, cursor: first.cursor! }),
    ).rejects.toMatchObject({
      code: 'bad_request',
      issues: [{ field: 'query.cursor', code: 'invalid_value' }],
    });
  });
});

describe('supportProposal', () => {
  it('counts one support per citizen, however often it is sent', async () => {
    const w = await world();
    const p = await proposed(w);
    const first = await support(w, p.id, citizenRef('a'));
    const again = await support(w, p.id, citizenRef('a'));
    expect(first).toEqual({ proposalId: p.id, outcome: 'counted', status: 'open', radicado: null });
    expect(again).toEqual({ proposalId: p.id, outcome: 'already_counted', status: 'open', radicado: null });
    expect(await w.proposals.supports(p.id)).toBe(1);
  });

  it('counts one support per citizen across a rotation of the pseudonym key', async () => {
    // Prepare
    const w = await world();
    const p = await proposed(w);
    const [v1, rotated] = [testPseudonyms('v1'), testPseudonyms('v1', 'v2')];
    await support(w, p.id, citizenRef('a', v1));

    // Act
    const again = await support(w, p.id, citizenRef('a', rotated));
    const other = await support(w, p.id, citizenRef('b', rotated));

    // Assess
    expect(again.outcome).toBe('already_counted');
    expect(other.outcome).toBe('counted');
    expect(await w.proposals.supports(p.id)).toBe(2);
  });

  it('refuses an unknown proposal', async () => {
    const w = await world();
    expect((await refusalOf(support(w, 'MINTIC-P-00000000', citizenRef('a')))).code).toBe('not_found');
  });

  it('converts the proposal into a petition when a support reaches the threshold, with its author as petitioner', async () => {
    // Prepare
    const w = await world();
    const p = await proposed(w);
    await support(w, p.id, citizenRef('a'));
    await support(w, p.id, citizenRef('b'));

    // Act
    const third = await support(w, p.id, citizenRef('c'));

    // Assess
    expect(third).toEqual({
      proposalId: p.id,
      outcome: 'counted',
      status: 'converted',
      radicado: 'MINTIC-2026-000001',
    });
    expect(await w.cases.get('MINTIC-2026-000001')).toMatchObject({
      kind: 'petition',
      channel: 'participation',
      externalId: p.id,
      petitioner,
      subject: `Propuesta ciudadana: ${p.title}`,
      status: 'received',
    });
    expect((await w.cases.events('MINTIC-2026-000001'))[0]?.actor).toEqual({
      kind: 'channel',
      id: 'participation',
    });
    expect(await w.proposals.get(p.id)).toMatchObject({ status: 'converted', convertedAt: NOW });
    expect(await w.proposals.listToConvert(10)).toEqual([]);
  });

  it('files one case however many supports cross the threshold at once, and none after', async () => {
    // Prepare
    const w = await world();
    const p = await proposed(w);

    // Act
    const replies = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((n) => support(w, p.id, citizenRef(n))));
    const later = await support(w, p.id, citizenRef('f'));

    // Assess
    expect(replies.every((r) => r.outcome === 'counted')).toBe(true);
    expect(later).toMatchObject({ outcome: 'counted', status: 'converted', radicado: 'MINTIC-2026-000001' });
    expect(w.cases.counter('MINTIC', 2026)).toBe(1);
    expect(await w.proposals.supports(p.id)).toBe(6);
  });

  it('answers the support when the conversion fails once listed to convert, and says so; a retry converts it', async () => {
    // Prepare: the filing is busy during the third support.
    const w = await world();
    const p = await proposed(w);
    await support(w, p.id, citizenRef('a'));
    await support(w, p.id, citizenRef('b'));
    const reported: unknown[] = [];
    const busyFiling = { ...w.filing, filingBudgetMs: 0 };

    // Act
    const third = await support(w, p.id, citizenRef('c'), {
      filing: busyFiling,
      onConversionError: (id, error) => reported.push([id, error]),
    });
    const listed = await w.proposals.listToConvert(10);
    const retried = await support(w, p.id, citizenRef('c'));

    // Assess
    expect(third).toEqual({ proposalId: p.id, outcome: 'counted', status: 'open', radicado: null });
    expect(reported).toEqual([[p.id, expect.objectContaining({ code: 'busy' })]]);
    expect(listed).toEqual([p.id]);
    expect(retried).toMatchObject({
      outcome: 'already_counted',
      status: 'converted',
      radicado: 'MINTIC-2026-000001',
    });
  });

  it('fails the request when the total cannot be read, so the client’s retry checks again', async () => {
    // Prepare
    const w = await world();
    const p = await proposed(w);
    await support(w, p.id, citizenRef('a'));
    await support(w, p.id, citizenRef('b'));
    onceBefore(w.proposals, 'supports', async () => {
      throw new Error('throttled');
    });

    // Act
    const failed = support(w, p.id, citizenRef('c'));
    await expect(failed).rejects.toThrow('throttled');
    const listed = await w.proposals.listToConvert(10);
    const retried = await support(w, p.id, citizenRef('c'));

    // Assess
    expect(listed).toEqual([]);
    expect(retried).toMatchObject({ outcome: 'already_counted', status: 'converted' });
  });
});

describe('converting proposals', () => {
  it('leaves a proposal below its threshold as it is', async () => {
    const w = await world();
    const p = await proposed(w);
    const stored = (await w.proposals.get(p.id))!;
    expect(await convertIfReached({ proposals: w.proposals, filing: w.filing }, stored)).toEqual(stored);
    expect(w.cases.counter('MINTIC', 2026)).toBe(0);
  });

  it('files once for good: a conversion that died before marking the proposal files nothing more when retried', async () => {
    // Prepare: the case is filed, then marking the proposal converted fails.
    const w = await world();
    const p = await proposed(w);
    const convert = { proposals: w.proposals, filing: w.filing };
    onceBefore(w.proposals, 'markConverted', async () => {
      throw new Error('throttled');
    });
    await expect(convertProposal(convert, (await w.proposals.get(p.id))!)).rejects.toThrow('throttled');

    // Act
    const again = await convertProposal(convert, (await w.proposals.get(p.id))!);

    // Assess
    expect(again).toMatchObject({ status: 'converted', radicado: 'MINTIC-2026-000001' });
    expect(w.cases.counter('MINTIC', 2026)).toBe(1);
  });

  it('the schedule converts the proposals listed to convert, reports failures and leaves them listed', async () => {
    // Prepare: two proposals reached their threshold; their conversions failed.
    const w = await world();
    const first = await proposed(w, { title: 'Primera' });
    const second = await proposed(w, { title: 'Segunda' });
    await w.proposals.markReached(first.id, '2026-03-03T15:00:00.000Z');
    await w.proposals.markReached(second.id, '2026-03-03T15:00:01.000Z');

    // Act
    const busy = await convertDueProposals({
      proposals: w.proposals,
      filing: { ...w.filing, filingBudgetMs: 0 },
    });
    const limited = await convertDueProposals({ proposals: w.proposals, filing: w.filing }, { limit: 1 });
    const rest = await convertDueProposals({ proposals: w.proposals, filing: w.filing });
    const none = await convertDueProposals({ proposals: w.proposals, filing: w.filing });

    // Assess
    expect(busy.converted).toEqual([]);
    expect(busy.refused).toEqual([]);
    expect(busy.failed.map((f) => f.proposalId)).toEqual([first.id, second.id]);
    expect(limited).toEqual({ converted: [first.id], failed: [], refused: [] });
    expect(rest).toEqual({ converted: [second.id], failed: [], refused: [] });
    expect(none).toEqual({ converted: [], failed: [], refused: [] });
    expect(w.cases.counter('MINTIC', 2026)).toBe(2);
  });

  it('skips what the index still lists once converted (the index lags the proposal)', async () => {
    // Prepare: listed, then converted by a support; the index read still names it.
    const w = await world();
    const p = await proposed(w);
    await w.proposals.markReached(p.id, NOW);
    const lagging = await w.proposals.listToConvert(10);
    for (const n of ['a', 'b', 'c']) await support(w, p.id, citizenRef(n));
    w.proposals.listToConvert = async () => lagging;

    // Act
    const run = await convertDueProposals({ proposals: w.proposals, filing: w.filing });

    // Assess
    expect(lagging).toEqual([p.id]);
    expect(run).toEqual({ converted: [], failed: [], refused: [] });
    expect(w.cases.counter('MINTIC', 2026)).toBe(1);
  });

  it('records for good a conversion the filing refuses (entity gone), and retries it no more; an unlisted kind is filed', async () => {
    // Prepare: two proposals at their threshold; MINTIC stops listing petitions, SUPERSALUD is gone.
    const w = await world();
    const mintic = await proposed(w, { title: 'Primera' });
    const supersalud = await proposed(w, { entityId: 'SUPERSALUD', title: 'Segunda' });
    await w.proposals.markReached(mintic.id, '2026-03-03T15:00:00.000Z');
    await w.proposals.markReached(supersalud.id, '2026-03-03T15:00:01.000Z');
    await w.entities.put({ ...MINTIC, kinds: ['complaint', 'claim'] });
    const stored = w.entities.get.bind(w.entities);
    w.entities.get = async (id) => (id === 'SUPERSALUD' ? undefined : stored(id));
    const convert = { proposals: w.proposals, filing: w.filing };

    // Act
    const run = await convertDueProposals(convert);
    const next = await convertDueProposals(convert);

    // Assess: no petition is refused for its kind (Ley 1755 art. 15 par. 2: routing flags it);
    // the one to an entity that does not exist is refused with the filing's reason, for good.
    expect(run).toEqual({
      converted: [mintic.id],
      failed: [],
      refused: [{ proposalId: supersalud.id, reason: [expect.objectContaining({ field: 'entityId' })] }],
    });
    expect(next).toEqual({ converted: [], failed: [], refused: [] });
    expect(await w.proposals.listToConvert(10)).toEqual([]);
    expect(await w.proposals.get(supersalud.id)).toMatchObject({
      status: 'conversion_failed',
      failedAt: NOW,
      failure: [{ field: 'entityId' }],
    });
    expect(await getPublicProposal(w, supersalud.id)).toMatchObject({
      status: 'conversion_failed',
      radicado: null,
      convertedAt: null,
    });
    expect(w.cases.counter('MINTIC', 2026)).toBe(1);
  });

  it('answers the support that reaches the threshold with the refusal, reported once, and converts nothing after', async () => {
    // Prepare: the entity is gone when the third support arrives, back for the fourth.
    const w = await world();
    const p = await proposed(w);
    await support(w, p.id, citizenRef('a'));
    await support(w, p.id, citizenRef('b'));
    const stored = w.entities.get.bind(w.entities);
    let gone = true;
    w.entities.get = async (id) => (gone ? undefined : stored(id));
    const reported: unknown[] = [];
    const onConversionError = (id: string, error: unknown) => reported.push([id, error]);

    // Act
    const third = await support(w, p.id, citizenRef('c'), { onConversionError });
    gone = false;
    const fourth = await support(w, p.id, citizenRef('d'), { onConversionError, cacheMs: 0 });

    // Assess
    expect(third).toEqual({
      proposalId: p.id,
      outcome: 'counted',
      status: 'conversion_failed',
      radicado: null,
    });
    expect(fourth).toMatchObject({ outcome: 'counted', status: 'conversion_failed', radicado: null });
    expect(reported).toEqual([[p.id, expect.any(ConversionRefusedError)]]);
    expect((reported[0] as [string, ConversionRefusedError])[1].reason).toEqual([
      expect.objectContaining({ field: 'entityId' }),
    ]);
    expect(await w.proposals.listToConvert(10)).toEqual([]);
    expect(w.cases.counter('MINTIC', 2026)).toBe(0);
  });

  it('keeps retrying what fails for a while (busy, throttled): only a refusal is for good', async () => {
    const w = await world();
    const p = await proposed(w);
    await w.proposals.markReached(p.id, NOW);
    onceBefore(w.cases, 'fileCase', async () => {
      throw new Error('throttled');
    });

    const failed = await convertDueProposals({ proposals: w.proposals, filing: w.filing });
    const listed = await w.proposals.listToConvert(10);
    const retried = await convertDueProposals({ proposals: w.proposals, filing: w.filing });

    expect(failed.failed.map((f) => f.proposalId)).toEqual([p.id]);
    expect(failed.refused).toEqual([]);
    expect(listed).toEqual([p.id]);
    expect(retried.converted).toEqual([p.id]);
  });
});

/**
 * What the public reads after the fact (reportBuild.ts, publicNotices.ts) on in-memory ports: the
 * global report of a consultation once published — its totals from the counters and every
 * comment with its disposition, without its author and with personal data redacted, a page at a
 * time — and an entity's notices published by aviso (CPACA art. 69) while in force.
 */
import { describe, expect, it } from 'vitest';
import { disposeComments } from '#app/commentDispose.ts';
import { groupDueConsultations } from '#app/commentGrouping.ts';
import { actOnConsultation } from '#app/consultationActions.ts';
import { listPublicNotices } from '#app/publicNotices.ts';
import { getReport } from '#app/reportBuild.ts';
import { groupKey, REDACTED } from '#domain/participation/comment.ts';
import { type PublicationDraft, publishNotice } from '#domain/publication.ts';
import { CAMPAIGN, closeNow, comment, created, deliver, opened } from './participationWorld.ts';
import { communicator, DAY_MS, NOW, refusalOf, type World, world } from './world.ts';

const at = (ms: number) => new Date(Date.parse(NOW) + ms).toISOString();
const report = (w: World, id: string, page: { limit: number; cursor?: string | undefined }) =>
  getReport({ ...w, disclosureK: 5 }, id, page);

/** A consultation with a campaign of two and a comment carrying an e-mail and a phone, all answered. */
async function answered(w: World) {
  const c = await opened(w, {
    opensAt: w.clock.now().toISOString(),
    closesAt: new Date(w.clock.now().getTime() + DAY_MS).toISOString(),
  });
  const campaign = [(await comment(w, c.id)).reference, (await comment(w, c.id)).reference];
  const personal = await comment(w, c.id, {
    sectionId: 's2',
    stance: 'observation',
    text: 'Escríbanme a ana.perez@example.com o al 300 123 4567.',
  });
  await deliver(w);
  await closeNow(w, c);
  await groupDueConsultations(w);
  await disposeComments(w, communicator, c.id, [
    { group: groupKey('s1', 'oppose', CAMPAIGN), value: 'not_accepted', reasons: 'La tarifa es legal.' },
    { reference: personal.reference, value: 'accepted', reasons: 'Se amplía el horario.' },
  ]);
  await actOnConsultation(w, communicator, c.id, 'answer');
  return { c, campaign, personal: personal.reference };
}

describe('getReport', () => {
  it('is not found before publication: draft, open, closed, answered, or unknown', async () => {
    // Prepare
    const w = await world();
    const draft = await created(w);
    const open = await opened(w);
    const closing = await opened(w, { closesAt: at(DAY_MS) });
    const { c: answeredOne } = await answered(w);
    await closeNow(w, closing);

    // Act
    const refusals = await Promise.all(
      [draft.id, open.id, closing.id, answeredOne.id, 'MINTIC-C-00000000'].map((id) =>
        refusalOf(report(w, id, { limit: 10 })),
      ),
    );

    // Assess
    expect(refusals.map((r) => r.code)).toEqual(Array(5).fill('not_found'));
  });

  it('once published: the totals from the counters and every comment with its disposition, no author, personal data redacted', async () => {
    // Prepare
    const w = await world();
    const { c, campaign, personal } = await answered(w);
    await actOnConsultation(w, communicator, c.id, 'publish');

    // Act
    const page = await report(w, c.id, { limit: 10 });

    // Assess
    expect(page.consultation.status).toBe('published');
    expect(page.results.totals).toMatchObject({
      comments: 3,
      dispositions: { accepted: 1, partially_accepted: 0, not_accepted: 2, pending: 0 },
      acceptedShare: 0.3333,
    });
    expect(page.cursor).toBeUndefined();
    const row = (ref: string) => page.rows.find((r) => r.reference === ref);
    expect(row(personal)).toEqual({
      reference: personal,
      sectionId: 's2',
      sectionTitle: 'Pregunta 2',
      stance: 'observation',
      text: `Escríbanme a ${REDACTED} o al ${REDACTED}.`,
      receivedOn: '2026-03-03',
      group: groupKey('s2', 'observation', 'Escríbanme a ana.perez@example.com o al 300 123 4567.'),
      groupSize: 1,
      disposition: 'accepted',
      reasons: 'Se amplía el horario.',
    });
    expect(campaign.map((r) => [row(r)?.groupSize, row(r)?.disposition])).toEqual([
      [2, 'not_accepted'],
      [2, 'not_accepted'],
    ]);
    expect(JSON.stringify(page.rows)).not.toMatch(/author|device|"c{64}"/);
  });

  it('pages through every comment once with its cursor, which serves no other consultation', async () => {
    // Prepare
    const w = await world();
    const { c } = await answered(w);
    await actOnConsultation(w, communicator, c.id, 'publish');
    const other = await answered(w);
    await actOnConsultation(w, communicator, other.c.id, 'publish');

    // Act
    const first = await report(w, c.id, { limit: 2 });
    const second = await report(w, c.id, { limit: 2, cursor: first.cursor });

    // Assess
    expect(first.rows).toHaveLength(2);
    expect(second.rows).toHaveLength(1);
    expect(second.cursor).toBeUndefined();
    expect(new Set([...first.rows, ...second.rows].map((r) => r.reference))).toEqual(
      new Set(w.comments.all(c.id).map((x) => x.reference)),
    );
    expect(second.results).toEqual(first.results);
    expect((await refusalOf(report(w, other.c.id, { limit: 2, cursor: first.cursor }))).code).toBe(
      'bad_request',
    );
  });
});

describe('listPublicNotices', () => {
  const draft = (radicado: string, entityId = 'MINTIC'): PublicationDraft => ({
    kind: 'answered',
    radicado,
    entityId,
    entityName: entityId === 'MINTIC' ? 'Ministerio TIC' : 'Superintendencia de Salud',
    caseKind: 'petition',
    title: `Respuesta — radicado ${radicado}`,
    body: `Aviso de ${radicado}.`,
  });
  /** Published at 10:00 Bogotá on `day`. */
  const published = (w: World, radicado: string, day: string, entityId = 'MINTIC') =>
    w.publications.publish(
      publishNotice(draft(radicado, entityId), 'EVENT#000002', new Date(`${day}T15:00:00.000Z`)),
    );

  it('lists the entity’s notices in force today, latest-ending first, a page at a time', async () => {
    // Prepare: today is Tuesday 3 March 2026; five business days of publication each.
    const w = await world();
    const expired = await published(w, 'MINTIC-2026-000001', '2026-02-20');
    const older = await published(w, 'MINTIC-2026-000002', '2026-02-26');
    const newer = await published(w, 'MINTIC-2026-000003', '2026-03-03');
    const tomorrow = await published(w, 'MINTIC-2026-000004', '2026-03-04');
    await published(w, 'SUPERSALUD-2026-000001', '2026-03-02', 'SUPERSALUD');

    // Act
    const first = await listPublicNotices(w, 'MINTIC', { limit: 1 });
    const second = await listPublicNotices(w, 'MINTIC', { limit: 1, cursor: first.cursor! });

    // Assess
    expect(expired.until < '2026-03-03').toBe(true);
    expect(tomorrow.publishedOn).toBe('2026-03-04');
    expect([...first.items, ...second.items]).toEqual([newer, older]);
    expect(second.cursor).toBeUndefined();
  });

  it('is not found for an unknown entity; a cursor of another entity’s list is refused', async () => {
    // Prepare
    const w = await world();
    await published(w, 'MINTIC-2026-000001', '2026-03-02');
    await published(w, 'MINTIC-2026-000002', '2026-03-03');
    const first = await listPublicNotices(w, 'MINTIC', { limit: 1 });

    // Act
    const unknown = await refusalOf(listPublicNotices(w, 'NOPE', { limit: 10 }));
    const foreign = await refusalOf(listPublicNotices(w, 'SUPERSALUD', { limit: 1, cursor: first.cursor! }));

    // Assess
    expect(unknown.code).toBe('not_found');
    expect(foreign).toMatchObject({ code: 'bad_request', issues: [{ field: 'query.cursor' }] });
    expect(await listPublicNotices(w, 'SUPERSALUD', { limit: 10 })).toEqual({ items: [] });
  });
});

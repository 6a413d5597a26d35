import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCaseStore } from '#adapters/dynamodb/caseStore.ts';
import { DynamoProposalStore } from '#adapters/dynamodb/proposalStore.ts';
import { readCounters } from '#adapters/dynamodb/shardedCounter.ts';
import { DEMO_PROPOSAL_ID, seed } from '#infra/local/seed.ts';
import { call, type Reply } from '#test/support/client.ts';
import { type LocalSystem, useLocalSystem } from '#test/support/localEnv.ts';

let system: LocalSystem;
let store: DynamoProposalStore;

beforeAll(async () => {
  system = await useLocalSystem({ schedulers: false });
  await seed();
  store = new DynamoProposalStore(system.ddb, system.tableName);
});
afterAll(() => system?.stop());

const author = {
  name: 'Luisa Fernanda Rojas',
  idType: 'CC',
  idNumber: '1032456789',
  email: 'luisa.rojas@example.com',
};

const citizen = async (subject: string) => ({
  authorization: `Bearer ${await system.issuer.issueCitizen({ subject })}`,
});

/** Replies seen, by documented operation, checked against /openapi.json at the end. */
const seen: { path: string; method: string; reply: Reply }[] = [];
const record = (path: string, method: string, reply: Reply): Reply => {
  seen.push({ path, method, reply });
  return reply;
};

const propose = async (body: Record<string, unknown>, subject = 'author-1') =>
  record(
    '/v1/public/proposals',
    'POST',
    await call(system.baseUrl, 'POST', '/v1/public/proposals', { body, headers: await citizen(subject) }),
  );

const proposal = (overrides: Record<string, unknown> = {}) => ({
  entityId: 'SUPERSALUD',
  title: 'Citas de medicina general en menos de tres días',
  description: 'Proponemos que las EPS asignen citas de medicina general en un plazo máximo de tres días.',
  category: 'health_services',
  author,
  ...overrides,
});

const support = async (id: string, subject: string): Promise<Reply> =>
  record(
    '/v1/public/proposals/{id}/supports',
    'POST',
    await call(system.baseUrl, 'POST', `/v1/public/proposals/${id}/supports`, {
      headers: await citizen(subject),
    }),
  );

const read = async (path: string, headers: Record<string, string> = {}): Promise<Reply> =>
  record(
    path.startsWith('/v1/public/proposals?') ? '/v1/public/proposals' : '/v1/public/proposals/{id}',
    'GET',
    await call(system.baseUrl, 'GET', path, { headers }),
  );

describe('proposals', () => {
  it('needs an identified citizen: no token, an officer token, a foreign audience → 401, nothing stored', async () => {
    const body = proposal();
    const none = record(
      '/v1/public/proposals',
      'POST',
      await call(system.baseUrl, 'POST', '/v1/public/proposals', { body }),
    );
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer /);
    const officer = await system.issuer.issue({
      entity: 'MINTIC',
      roles: ['officer'],
      offices: ['conectividad'],
    });
    const asOfficer = await call(system.baseUrl, 'POST', '/v1/public/proposals', {
      body,
      headers: { authorization: `Bearer ${officer}` },
    });
    expect(asOfficer.status).toBe(401);
    const now = Math.floor(Date.now() / 1000);
    const foreign = await system.issuer.sign({
      iss: system.issuer.issuer,
      aud: 'another-app',
      sub: 'x',
      iat: now,
      exp: now + 60,
    });
    const wrongAudience = await call(system.baseUrl, 'POST', '/v1/public/proposals', {
      body,
      headers: { authorization: `Bearer ${foreign}` },
    });
    expect(wrongAudience.status).toBe(401);
    expect(wrongAudience.body.detail).toContain('aud');
    const listed = await read('/v1/public/proposals?entityId=SUPERSALUD');
    expect((listed.body.items as unknown[]).filter((p) => JSON.stringify(p).includes(body.title))).toEqual(
      [],
    );
  });

  it('refuses bad input naming the field: unknown entity, foreign category, markup, no way to answer', async () => {
    const unknown = await propose(proposal({ entityId: 'NOPE' }));
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'entityId' })]);
    const category = await propose(proposal({ category: 'spectrum' }));
    expect(category.status).toBe(422);
    expect(category.body.errors).toEqual([expect.objectContaining({ field: 'category' })]);
    const markup = await propose(proposal({ title: '<script>alert(1)</script>' }));
    expect(markup.status).toBe(422);
    expect((markup.body.errors as { field: string }[]).map((e) => e.field)).toContain('title');
    const noContact = await propose(proposal({ author: { name: 'X Y', idType: 'CC', idNumber: '123456' } }));
    expect(noContact.status).toBe(422);
    expect((noContact.body.errors as { field: string }[])[0]?.field).toBe('author.email');
  });

  it('makes a proposal, shows it publicly without personal data, cacheable with ETag and 304', async () => {
    const made = await propose(proposal());
    expect(made.status).toBe(201);
    const id = String(made.body.id);
    expect(id).toMatch(/^SUPERSALUD-P-[0-9A-Z]{8}$/);
    expect(made.headers.get('location')).toBe(`/v1/public/proposals/${id}`);
    expect(made.body).toMatchObject({ status: 'open', supports: 0, threshold: 100, radicado: null });

    const shown = await read(`/v1/public/proposals/${id}`);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({
      id,
      entityId: 'SUPERSALUD',
      supports: 0,
      category: 'health_services',
    });
    for (const secret of [author.name, author.idNumber, author.email, 'authorHash', 'author']) {
      expect(shown.text).not.toContain(secret);
    }
    expect(shown.headers.get('cache-control')).toBe('public, max-age=10');
    const etag = shown.headers.get('etag');
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    const again = await read(`/v1/public/proposals/${id}`, { 'if-none-match': etag! });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    // A support changes the view, so the old tag no longer matches.
    expect((await support(id, 'supporter-etag')).status).toBe(201);
    const changed = await read(`/v1/public/proposals/${id}`, { 'if-none-match': etag! });
    expect(changed.status).toBe(200);
    expect(changed.body.supports).toBe(1);
    expect(changed.headers.get('etag')).not.toBe(etag);

    expect((await read('/v1/public/proposals/SUPERSALUD-P-00000000')).status).toBe(404);
    expect((await read('/v1/public/proposals/nope')).status).toBe(400);
  });

  it('counts one support per citizen: a second one answers 200 and counts nothing; anonymous → 401; unknown → 404', async () => {
    const id = String((await propose(proposal({ title: 'Una propuesta para apoyar dos veces' }))).body.id);
    const first = await support(id, 'citizen-a');
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ proposalId: id, outcome: 'counted', status: 'open', radicado: null });
    const second = await support(id, 'citizen-a');
    expect(second.status).toBe(200);
    expect(second.body.outcome).toBe('already_counted');
    expect((await support(id, 'citizen-b')).status).toBe(201);
    const anonymous = record(
      '/v1/public/proposals/{id}/supports',
      'POST',
      await call(system.baseUrl, 'POST', `/v1/public/proposals/${id}/supports`),
    );
    expect(anonymous.status).toBe(401);
    expect((await support('SUPERSALUD-P-00000000', 'citizen-a')).status).toBe(404);
    expect(await store.supports(id, { consistent: true })).toBe(2);
    expect(await store.recount(id)).toBe(2);
  });

  it('recount after a random burst with duplicates and retries matches the sharded counter exactly', async () => {
    const id = String((await propose(proposal({ title: 'Ráfaga de apoyos' }))).body.id);
    // Prepare: 40 citizens; a third send twice at once (a double click), a fifth retry after
    // their answer (a redelivery), in a shuffled order.
    const citizens = Array.from(
      { length: 60 },
      (_, i) => `burst-${i}-${Math.random().toString(36).slice(2)}`,
    );
    const sends = [...citizens, ...citizens.filter((_, i) => i % 3 === 0)];
    for (let i = sends.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [sends[i], sends[j]] = [sends[j]!, sends[i]!];
    }
    // Act
    const replies = await Promise.all(sends.map((s) => support(id, s)));
    const retries = await Promise.all(citizens.filter((_, i) => i % 5 === 0).map((s) => support(id, s)));
    // Assess: every citizen counted exactly once, whichever of their requests won.
    expect(replies.every((r) => r.status === 201 || r.status === 200)).toBe(true);
    expect(replies.filter((r) => r.status === 201)).toHaveLength(citizens.length);
    expect(retries.every((r) => r.status === 200 && r.body.outcome === 'already_counted')).toBe(true);
    const counters = await readCounters(system.ddb, system.tableName, `proposal:${id}`, { consistent: true });
    expect(counters).toEqual({ supports: citizens.length });
    expect(await store.recount(id)).toBe(citizens.length);
    const view = await read(`/v1/public/proposals/${id}`);
    expect(view.body.supports).toBe(citizens.length);
  });

  it('becomes one petition when concurrent supports cross the threshold: radicado, author as petitioner, routed', async () => {
    // MINTIC's seed threshold is 3; 8 citizens support at once.
    const made = await propose(
      proposal({
        entityId: 'MINTIC',
        title: 'Internet en la biblioteca municipal',
        description: 'Proponemos conectar la biblioteca municipal a internet de alta velocidad.',
        category: 'connectivity_programs',
      }),
    );
    expect(made.body.threshold).toBe(3);
    const id = String(made.body.id);
    const replies = await Promise.all(Array.from({ length: 8 }, (_, i) => support(id, `crosser-${i}`)));
    expect(replies.map((r) => r.status)).toEqual(Array(8).fill(201));

    const view = await read(`/v1/public/proposals/${id}`);
    expect(view.body).toMatchObject({ status: 'converted', supports: 8 });
    const radicado = String(view.body.radicado);
    expect(radicado).toMatch(/^MINTIC-\d{4}-\d{6}$/);
    // Every answer that names a case names the same one.
    const named = new Set(replies.map((r) => r.body.radicado).filter((r) => r !== null));
    expect([...named]).toEqual([radicado]);

    const cases = new DynamoCaseStore(system.ddb, system.tableName);
    const filed = await cases.get(radicado);
    expect(filed).toMatchObject({
      kind: 'petition',
      channel: 'participation',
      externalId: id,
      category: 'connectivity_programs',
      petitioner: author,
      subject: 'Propuesta ciudadana: Internet en la biblioteca municipal',
    });
    expect(filed?.dueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    // The stream routes it like any case: exactly one case in the office's inbox for this proposal.
    await system.drain();
    const token = await system.issuer.issue({ entity: 'MINTIC', roles: ['supervisor'] });
    const inbox = await call(system.baseUrl, 'GET', '/v1/inbox?office=conectividad&limit=100', {
      headers: { authorization: `Bearer ${token}` },
    });
    const mine = (inbox.body.items as { radicado: string; subject: string }[]).filter((c) =>
      c.subject.includes('Internet en la biblioteca municipal'),
    );
    expect(mine.map((c) => c.radicado)).toEqual([radicado]);

    // Later supports still count, and file nothing more.
    const late = await support(id, 'late-supporter');
    expect(late.body).toMatchObject({ outcome: 'counted', status: 'converted', radicado });
    expect(await store.recount(id)).toBe(9);
  });

  it("lists an entity's proposals newest first with their supports, paginated; a forged cursor → 400", async () => {
    const first = await propose(
      proposal({ entityId: 'MEDELLIN', category: 'public_space', title: 'Primera' }),
    );
    const second = await propose(
      proposal({ entityId: 'MEDELLIN', category: 'public_space', title: 'Segunda' }),
    );
    await support(String(second.body.id), 'lister-1');
    const page1 = await read('/v1/public/proposals?entityId=MEDELLIN&limit=1');
    expect(page1.status).toBe(200);
    expect(page1.headers.get('etag')).toBeTruthy();
    expect((page1.body.items as { id: string; supports: number }[]).map((p) => [p.id, p.supports])).toEqual([
      [second.body.id, 1],
    ]);
    const page2 = await read(`/v1/public/proposals?entityId=MEDELLIN&limit=1&cursor=${page1.body.cursor}`);
    expect((page2.body.items as { id: string }[]).map((p) => p.id)).toEqual([first.body.id]);
    expect(page2.text).not.toContain(author.email);
    const forged = Buffer.from(JSON.stringify({ pk: 'CASE#X', sk: 'CASE' })).toString('base64url');
    const bad = await read(`/v1/public/proposals?entityId=MEDELLIN&cursor=${forged}`);
    expect(bad.status).toBe(400);
    const otherEntity = await read(`/v1/public/proposals?entityId=SUPERSALUD&cursor=${page1.body.cursor}`);
    expect(otherEntity.status).toBe(400);
  });

  it('seeds a demo proposal to MINTIC', async () => {
    const demo = await read(`/v1/public/proposals/${DEMO_PROPOSAL_ID}`);
    expect(demo.status).toBe(200);
    expect(demo.body).toMatchObject({ entityId: 'MINTIC', threshold: 3 });
  });

  it('answers as /openapi.json documents (every reply above: 2xx, 304 and problems)', async () => {
    const doc = (await call(system.baseUrl, 'GET', '/openapi.json')).body as {
      paths: Record<
        string,
        Record<
          string,
          { responses: Record<string, { $ref?: string; content?: Record<string, { schema: unknown }> }> }
        >
      >;
      components: Record<string, Record<string, unknown>>;
    };
    // Formats (date-time) are the handlers' zod schemas' business; the shapes are checked here.
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
    ajv.addSchema({ $id: 'openapi', components: doc.components }, 'openapi');
    const statuses = new Set<string>();
    for (const { path, method, reply } of seen) {
      let response = doc.paths[path]?.[method.toLowerCase()]?.responses[String(reply.status)];
      expect(response, `${method} ${path} documents ${reply.status}`).toBeDefined();
      statuses.add(`${method} ${path} ${reply.status}`);
      if (response?.$ref)
        response = doc.components.responses![response.$ref.split('/').pop()!] as typeof response;
      const [type, media] = Object.entries(response?.content ?? {})[0] ?? [];
      if (type === undefined) {
        expect(reply.text, `${method} ${path} ${reply.status} has no body`).toBe('');
        continue;
      }
      expect(reply.headers.get('content-type')).toContain(type);
      const validate = ajv.compile(
        JSON.parse(JSON.stringify(media!.schema).replaceAll('"#/components', '"openapi#/components')),
      );
      expect(
        validate(reply.json),
        `${method} ${path} ${reply.status}: ${ajv.errorsText(validate.errors)}`,
      ).toBe(true);
    }
    expect([...statuses].sort()).toEqual(
      expect.arrayContaining([
        'GET /v1/public/proposals 200',
        'GET /v1/public/proposals 400',
        'GET /v1/public/proposals/{id} 200',
        'GET /v1/public/proposals/{id} 304',
        'GET /v1/public/proposals/{id} 404',
        'POST /v1/public/proposals 201',
        'POST /v1/public/proposals 401',
        'POST /v1/public/proposals 422',
        'POST /v1/public/proposals/{id}/supports 200',
        'POST /v1/public/proposals/{id}/supports 201',
        'POST /v1/public/proposals/{id}/supports 401',
        'POST /v1/public/proposals/{id}/supports 404',
      ]),
    );
  });
});

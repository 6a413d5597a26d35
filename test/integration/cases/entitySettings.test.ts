/**
 * GET/PUT /v1/entities/{entityId}/settings on the local system: who may read and change them,
 * If-Match/ETag (428 without, 412 when stale, one winner of two concurrent writes), validation
 * through the domain schema (nothing stored when refused), the entity's audit trail, and that a
 * change applies to cases filed after it only.
 */
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCaseStore } from '#adapters/dynamodb/caseStore.ts';
import { DynamoEntityStore } from '#adapters/dynamodb/entityStore.ts';
import { entityItem, keys } from '#adapters/dynamodb/keys.ts';
import { verifyEntityAudit } from '#app/verifyAudit.ts';
import type { Role } from '#domain/actor.ts';
import { verifyChain } from '#domain/case/audit.ts';
import { addBusinessDays, computeClock } from '#domain/clock/index.ts';
import { clockSettings, type Entity } from '#domain/entity.ts';
import { getEntitySettingsRoute } from '#http/routes/admin.ts';
import { demoEntities, seed } from '#infra/local/seed.ts';
import { call, type Reply } from '#test/support/client.ts';
import { useLocalSystem } from '#test/support/localEnv.ts';
import { petition } from './helpers.ts';

let system: Awaited<ReturnType<typeof useLocalSystem>>;
let store: DynamoEntityStore;

beforeAll(async () => {
  system = await useLocalSystem({ pollers: false, schedulers: false, pipes: false });
  await seed();
  store = new DynamoEntityStore(system.ddb, system.tableName, { ttlMs: 0 });
});
afterAll(() => system?.stop());

const path = (entity: string) => `/v1/entities/${entity}/settings`;

async function auth(roles: Role[], entity = 'MINTIC', subject = 'admin-1') {
  return { authorization: `Bearer ${await system.issuer.issue({ entity, roles, subject })}` };
}

async function read(entity = 'MINTIC', roles: Role[] = ['admin']): Promise<Reply> {
  return call(system.baseUrl, 'GET', path(entity), { headers: await auth(roles, entity) });
}

async function write(
  settings: unknown,
  ifMatch: string | undefined,
  options: { entity?: string; roles?: Role[]; as?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const entity = options.entity ?? 'MINTIC';
  return call(system.baseUrl, 'PUT', path(entity), {
    body: settings,
    headers: {
      ...(await auth(options.roles ?? ['admin'], options.as ?? entity)),
      ...(ifMatch !== undefined ? { 'if-match': ifMatch } : {}),
      ...options.headers,
    },
  });
}

/** The settings of a demo entity, as the PUT body takes them (no id), with some replaced. */
function settingsOf(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const { id: _id, ...rest } = demoEntities().find((e) => e.id === id) as Entity;
  return { ...rest, ...overrides };
}

async function storedVersion(id: string): Promise<number | undefined> {
  return (await store.getVersioned(id))?.version;
}

describe('GET /v1/entities/{entityId}/settings', () => {
  it('admins and supervisors of the entity read the settings, with the version as ETag', async () => {
    const res = await read('MINTIC');
    expect(res.status).toBe(200);
    expect(getEntitySettingsRoute.responses[200]!.schema!.safeParse(res.body).success).toBe(true);
    expect(res.headers.get('etag')).toBe(`"${res.body.version}"`);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body.entityId).toBe('MINTIC');
    expect(res.body.settings).toEqual(settingsOf('MINTIC'));
    expect(res.body.invalidFields).toBeUndefined();
    expect(String(res.body.takesEffect)).toContain('cases filed after the change');
    expect((await read('MINTIC', ['supervisor'])).status).toBe(200);
    // Thresholds not set: the defaults in force are shown.
    const medellin = await read('MEDELLIN', ['supervisor']);
    expect((medellin.body.settings as Record<string, unknown>).semaforo).toEqual({
      yellow: 0.5,
      red: 0.8,
      redDaysLeft: 2,
    });
  });

  it('others of the entity are refused (403), another entity is not found (404)', async () => {
    expect((await read('MINTIC', ['officer'])).status).toBe(403);
    expect((await read('MINTIC', ['communicator'])).status).toBe(403);
    const foreign = await call(system.baseUrl, 'GET', path('MINTIC'), {
      headers: await auth(['admin'], 'SUPERSALUD'),
    });
    expect(foreign.status).toBe(404);
    expect((await read('NOSUCHENTITY')).status).toBe(404);
    expect((await call(system.baseUrl, 'GET', path('MINTIC'))).status).toBe(401);
    const malformed = await call(system.baseUrl, 'GET', path('mintic'), { headers: await auth(['admin']) });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors).toEqual([expect.objectContaining({ field: 'path.entityId' })]);
  });
});

describe('PUT /v1/entities/{entityId}/settings', () => {
  it('needs If-Match (428), an admin (403) of this entity (404), a well-formed tag (400); stores nothing otherwise', async () => {
    const before = await storedVersion('MINTIC');
    const body = settingsOf('MINTIC', { terms: { general: 10 } });
    const missing = await write(body, undefined);
    expect(missing.status).toBe(428);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    expect(missing.body.errors).toEqual([
      {
        field: 'header.if-match',
        code: 'required',
        message: expect.stringMatching(
          /^header\.if-match: es obligatorio: envíe el ETag que leyó, como "\d+"$/,
        ),
      },
    ]);
    expect((await write(body, `"${before}"`, { roles: ['supervisor'] })).status).toBe(403);
    expect((await write(body, `"${before}"`, { as: 'SUPERSALUD' })).status).toBe(404);
    const malformed = await write(body, String(before));
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors).toEqual([expect.objectContaining({ field: 'header.if-match' })]);
    expect(await storedVersion('MINTIC')).toBe(before);
  });

  it('validates through the domain rules: 422 naming the field, the law cited, nothing stored', async () => {
    const before = await storedVersion('SUPERSALUD');
    const etag = `"${before}"`;
    const put = (overrides: Record<string, unknown>) =>
      write(settingsOf('SUPERSALUD', overrides), etag, { entity: 'SUPERSALUD' });

    const longer = await put({ terms: { general: 20 } });
    expect(longer.status).toBe(422);
    expect(longer.body.errors).toEqual([
      {
        field: 'terms.general',
        code: 'too_large',
        message:
          'terms.general: 20 días hábiles supera el término legal de 15 (Ley 1755 de 2015, art. 14): una entidad puede acortar los términos, nunca ampliarlos',
      },
    ]);
    expect(String(longer.body.detail)).toContain('art. 14');
    const english = await write(settingsOf('SUPERSALUD', { terms: { general: 20 } }), etag, {
      entity: 'SUPERSALUD',
      headers: { 'accept-language': 'en' },
    });
    expect(english.body.errors).toEqual([
      {
        field: 'terms.general',
        code: 'too_large',
        message:
          'terms.general: 20 business days is longer than the legal 15 (Ley 1755 de 2015, art. 14): an entity may shorten terms, never lengthen them',
      },
    ]);
    const fields = async (overrides: Record<string, unknown>) =>
      ((await put(overrides)).body.errors as { field: string }[]).map((e) => e.field);
    expect(await fields({ routing: [{ office: 'nowhere' }] })).toEqual(['routing.0.office']);
    expect(await fields({ defaultOffice: 'nowhere' })).toEqual(['defaultOffice']);
    expect(
      await fields({
        offices: [
          { id: 'pqrd', name: 'A' },
          { id: 'pqrd', name: 'B' },
        ],
        routing: [],
      }),
    ).toEqual(['offices']);
    expect(await fields({ officeHours: { open: '18:00', close: '08:00' } })).toEqual(['officeHours.close']);
    expect(await fields({ closures: ['2026-02-30'] })).toEqual(['closures.0']);
    expect(await fields({ semaforo: { yellow: 0.9, red: 0.8, redDaysLeft: 2 } })).toEqual(['semaforo.red']);
    expect(await fields({ termClassByKind: { petition: 'query' } })).toEqual(['termClassByKind.petition']);
    expect(await fields({ id: 'SUPERSALUD' })).toEqual(['id']);

    expect(await storedVersion('SUPERSALUD')).toBe(before);
    expect(await store.entityEvents('SUPERSALUD')).toEqual([]);
  });

  it('replaces the settings: new version, audited; terms apply to cases filed after the change only', async () => {
    // Prepare: a petition filed under the legal 15 business days.
    const before = await call(system.baseUrl, 'POST', '/v1/cases', { body: petition() });
    expect(before.status).toBe(201);
    const current = await read('MINTIC');
    const version = Number(current.body.version);

    // Act: an admin shortens the general term to 5 business days.
    const res = await write(settingsOf('MINTIC', { terms: { general: 5 } }), `"${version}"`);

    // Assess: stored, new version and ETag, the change recorded in the entity's trail.
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe(`"${version + 1}"`);
    expect(res.body).toMatchObject({ entityId: 'MINTIC', version: version + 1, updatedBy: 'admin-1' });
    expect((res.body.settings as Record<string, unknown>).terms).toEqual({ general: 5 });
    expect((await read('MINTIC')).body).toEqual(res.body);
    const events = await store.entityEvents('MINTIC');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      radicado: 'MINTIC',
      seq: 1,
      type: 'entity_settings_changed',
      actor: { kind: 'officer', id: 'admin-1' },
      data: {
        version: version + 1,
        changed: ['terms'],
        before: { terms: null },
        after: { terms: { general: 5 } },
      },
    });
    expect(await verifyEntityAudit({ settings: store }, 'MINTIC')).toEqual({
      ok: true,
      events: 1,
      head: events[0]!.hash,
    });

    // A petition filed now gets the shorter term; the one filed before keeps its legal term.
    const after = await call(system.baseUrl, 'POST', '/v1/cases', { body: petition() });
    expect(after.status).toBe(201);
    const shortened = computeClock({
      termClass: 'general',
      filed: String(after.body.receivedAt),
      entity: { terms: { general: 5 } },
    });
    expect(after.body.dueDate).toBe(shortened.due);
    expect(String(after.body.dueDate) < String(before.body.dueDate)).toBe(true);
    const earlier = await call(system.baseUrl, 'GET', `/v1/cases/${before.body.radicado}`, {
      headers: { 'x-tracking-code': String(before.body.trackingCode) },
    });
    expect(earlier.body.dueDate).toBe(before.body.dueDate);
    expect(earlier.body.dueDate).toBe(
      computeClock({ termClass: 'general', filed: String(before.body.receivedAt) }).due,
    );

    // The same settings again change nothing: no new version, no event.
    const same = await write(settingsOf('MINTIC', { terms: { general: 5 } }), `"${version + 1}"`);
    expect(same.status).toBe(200);
    expect(same.body.version).toBe(version + 1);
    expect(await store.entityEvents('MINTIC')).toHaveLength(1);
  });

  it('a closure and an act suspending terms reach a case filed before them: its due date moves, recorded', async () => {
    // RULES.md, second pass: closures apply to every case pending on those days, whenever filed.
    const filed = await call(system.baseUrl, 'POST', '/v1/cases', {
      body: petition({ entityId: 'MEDELLIN' }),
    });
    expect(filed.status).toBe(201);
    const radicado = String(filed.body.radicado);
    const medellin = demoEntities().find((e) => e.id === 'MEDELLIN') as Entity;
    const receivedOn = computeClock({
      termClass: 'general',
      filed: String(filed.body.receivedAt),
      entity: clockSettings(medellin),
    }).receivedOn;
    // Business days of MEDELLIN's own calendar (its closures kept), so each new one counts.
    const own = { closures: medellin.closures ?? [] };
    const closures = [
      ...own.closures,
      addBusinessDays(receivedOn, 1, own),
      {
        from: addBusinessDays(receivedOn, 2, own),
        to: addBusinessDays(receivedOn, 3, own),
        reference: 'Resolución 77 de 2026',
      },
    ];
    const version = Number((await read('MEDELLIN')).body.version);

    const res = await write(settingsOf('MEDELLIN', { closures }), `"${version}"`, { entity: 'MEDELLIN' });

    expect(res.status, res.text).toBe(200);
    const expected = computeClock({
      termClass: 'general',
      filed: String(filed.body.receivedAt),
      entity: clockSettings({ ...medellin, closures }),
    }).due;
    const view = await call(system.baseUrl, 'GET', `/v1/cases/${radicado}`, {
      headers: { 'x-tracking-code': String(filed.body.trackingCode) },
    });
    expect(view.body.dueDate).toBe(expected);
    // Three business days closed inside the term: three later.
    expect(expected).toBe(addBusinessDays(String(filed.body.dueDate), 3, own));
    const trail = await new DynamoCaseStore(system.ddb, system.tableName).events(radicado);
    expect(trail.map((e) => e.type)).toEqual(['filed', 'closures_applied']);
    expect(trail[1]?.data).toMatchObject({
      dueMoved: true,
      dueDate: expected,
      moved: { dueDate: { from: filed.body.dueDate, to: expected } },
    });
    expect(verifyChain(trail)).toEqual({ ok: true });
  });

  it('refuses a change based on an old version (412 with the current ETag); of two concurrent ones, one wins', async () => {
    const version = Number((await read('MINTIC')).body.version);
    const stale = await write(settingsOf('MINTIC', { terms: { general: 7 } }), `"${version - 1}"`);
    expect(stale.status).toBe(412);
    expect(stale.headers.get('etag')).toBe(`"${version}"`);

    const replies = await Promise.all([
      write(settingsOf('MINTIC', { terms: { general: 8 } }), `"${version}"`),
      write(settingsOf('MINTIC', { terms: { general: 9 } }), `"${version}"`),
    ]);
    expect(replies.map((r) => r.status).sort()).toEqual([200, 412]);
    const winner = replies.find((r) => r.status === 200)!;
    const stored = await read('MINTIC');
    expect(stored.body.version).toBe(version + 1);
    expect((stored.body.settings as Record<string, unknown>).terms).toEqual(
      (winner.body.settings as Record<string, unknown>).terms,
    );
    // `*` (any current version) and a list of tags are understood too; a weak tag matches nothing.
    expect((await write(settingsOf('MINTIC', { terms: { general: 6 } }), `W/"${version + 1}"`)).status).toBe(
      412,
    );
    expect(
      (await write(settingsOf('MINTIC', { terms: { general: 6 } }), `"0", "${version + 1}"`)).status,
    ).toBe(200);
    expect((await write(settingsOf('MINTIC'), '*')).status).toBe(200);
    expect(await verifyEntityAudit({ settings: store }, 'MINTIC')).toMatchObject({ ok: true, events: 4 });
  });

  it('an entity stored before a rule was tightened: shown with its invalid fields, and fixable', async () => {
    // Prepare: written without validation nor version, as an older release could have.
    const id = 'OLDRULES';
    const old = { ...settingsOf('MINTIC'), id, name: 'Entidad antigua', terms: { general: 99 } };
    await system.ddb.send(
      new PutCommand({
        TableName: system.tableName,
        Item: { ...keys.entity(id), gsi1pk: entityItem.listed(id).partition, gsi1sk: id, settings: old },
      }),
    );
    const shown = await read(id);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ version: 0, invalidFields: ['terms.general'] });
    expect(shown.headers.get('etag')).toBe('"0"');
    const fixed = await write(
      { ...settingsOf('MINTIC'), name: 'Entidad antigua', terms: { general: 15 } },
      '"0"',
      {
        entity: id,
      },
    );
    expect(fixed.status).toBe(200);
    expect(fixed.body.version).toBe(1);
    expect(fixed.body.invalidFields).toBeUndefined();
    expect((await store.get(id))?.terms).toEqual({ general: 15 });
  });

  it('a tampered entity trail is caught', async () => {
    const [first] = await store.entityEvents('MINTIC');
    await system.ddb.send(
      new UpdateCommand({
        TableName: system.tableName,
        Key: keys.entityEvent('MINTIC', first!.seq),
        UpdateExpression: 'SET #data.#after = :forged',
        ExpressionAttributeNames: { '#data': 'data', '#after': 'after' },
        ExpressionAttributeValues: { ':forged': { terms: { general: 15 } } },
      }),
    );
    expect(await verifyEntityAudit({ settings: store }, 'MINTIC')).toMatchObject({
      ok: false,
      brokenAt: 1,
      reason: 'content does not match its hash',
    });
  });
});

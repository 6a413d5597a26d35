/**
 * An entity's settings as its admins read and replace them (entitySettings.ts): roles, the
 * entity's own scope, If-Match on the version, the domain's validation, the audited change.
 */
import { describe, expect, it } from 'vitest';
import {
  readEntitySettings,
  replaceEntitySettings,
  SETTINGS_EVENT,
  SETTINGS_TAKE_EFFECT,
  settingsChange,
} from '#app/entitySettings.ts';
import { verifyEntityAudit } from '#app/verifyAudit.ts';
import { GENESIS_HASH } from '#domain/case/audit.ts';
import { DEFAULT_SEMAFORO, type EntitySettings } from '#domain/entity.ts';
import {
  actNow,
  admin,
  communicator,
  fileRouted,
  MEDELLIN,
  MINTIC,
  NOW,
  officer,
  onceBefore,
  otherAdmin,
  otherSupervisor,
  petition,
  refusalOf,
  staff,
  supervisor,
  type World,
  world,
} from './world.ts';

const { id: _id, ...minticSettings } = MINTIC;
const settingsDeps = (w: World) => ({ settings: w.entities, clock: w.clock });
const renamed = (name: string): EntitySettings => ({ ...minticSettings, name }) as EntitySettings;

describe('readEntitySettings', () => {
  it('shows supervisors and admins the settings, the version as tag, the thresholds in force', async () => {
    const w = await world();
    for (const reader of [supervisor, admin]) {
      const view = await readEntitySettings(settingsDeps(w), reader, 'MINTIC');
      expect(view).toMatchObject({ entityId: 'MINTIC', version: 1, takesEffect: SETTINGS_TAKE_EFFECT });
      expect(view.settings).toEqual(minticSettings);
      expect(view.invalidFields).toBeUndefined();
    }
    const medellin = staff(['supervisor'], { entityId: 'MEDELLIN' });
    expect((await readEntitySettings(settingsDeps(w), medellin, 'MEDELLIN')).settings.semaforo).toEqual(
      DEFAULT_SEMAFORO,
    );
  });

  it('refuses officers and communicators (403); another entity’s, or none, is not found (404)', async () => {
    const w = await world();
    for (const reader of [officer, communicator]) {
      expect((await refusalOf(readEntitySettings(settingsDeps(w), reader, 'MINTIC'))).code).toBe('forbidden');
    }
    expect((await refusalOf(readEntitySettings(settingsDeps(w), otherSupervisor, 'MINTIC'))).code).toBe(
      'not_found',
    );
    expect((await refusalOf(readEntitySettings(settingsDeps(w), supervisor, 'NOPE'))).code).toBe('not_found');
  });

  it('names the stored fields that today’s rules refuse, so an admin can fix them', async () => {
    const w = await world();
    w.entities.putRaw('MINTIC', { ...MINTIC, terms: { general: 20 } });
    const view = await readEntitySettings(settingsDeps(w), admin, 'MINTIC');
    expect(view.invalidFields).toEqual(['terms.general']);
    expect(view.settings).toMatchObject({ terms: { general: 20 } });
  });
});

describe('replaceEntitySettings: refusals, storing nothing', () => {
  it('is for the entity’s admins only', async () => {
    const w = await world();
    const input = { settings: renamed('Otro'), ifMatch: '"1"' };
    expect((await refusalOf(replaceEntitySettings(settingsDeps(w), supervisor, 'MINTIC', input))).code).toBe(
      'forbidden',
    );
    expect((await refusalOf(replaceEntitySettings(settingsDeps(w), otherAdmin, 'MINTIC', input))).code).toBe(
      'not_found',
    );
    expect((await w.entities.getVersioned('MINTIC'))?.version).toBe(1);
  });

  it('needs If-Match (428), well formed (400), naming the stored version (412 with the current tag)', async () => {
    const w = await world();
    const replace = (ifMatch: string | undefined) =>
      refusalOf(
        replaceEntitySettings(settingsDeps(w), admin, 'MINTIC', { settings: renamed('Otro'), ifMatch }),
      );
    expect((await replace(undefined)).code).toBe('precondition_required');
    expect((await replace('1')).code).toBe('bad_request');
    expect(await replace('"0"')).toMatchObject({
      code: 'precondition_failed',
      problem: { currentTag: '"1"' },
    });
    expect(await w.entities.entityEvents('MINTIC')).toEqual([]);
  });

  it('validates with the domain’s rules: a term longer than the law, a default office that is not one', async () => {
    // Prepare
    const w = await world();
    const replace = (settings: unknown) =>
      refusalOf(
        replaceEntitySettings(settingsDeps(w), admin, 'MINTIC', {
          settings: settings as EntitySettings,
          ifMatch: '"1"',
        }),
      );

    // Act
    const longer = await replace({ ...minticSettings, terms: { general: 20 } });
    const office = await replace({ ...minticSettings, defaultOffice: 'nowhere' });

    // Assess
    expect(longer).toMatchObject({ code: 'invalid', issues: [{ field: 'terms.general' }] });
    expect(longer.message).toContain('longer than the legal 15');
    expect(office).toMatchObject({ code: 'invalid', issues: [{ field: 'defaultOffice' }] });
    expect((await w.entities.getVersioned('MINTIC'))?.version).toBe(1);
  });
});

describe('replaceEntitySettings: offices with open cases', () => {
  it('keeps an office that holds an open case, and lets it go once the case is elsewhere', async () => {
    // Prepare: a petition routed to espectro (category spectrum).
    const w = await world();
    const deps = { settings: w.entities, clock: w.clock, cases: w.cases };
    const { record } = await fileRouted(w, petition({ category: 'spectrum' }));
    expect(record.office).toBe('espectro');
    const withoutEspectro = {
      ...minticSettings,
      offices: minticSettings.offices.filter((o) => o.id !== 'espectro'),
      routing: minticSettings.routing?.filter((r) => r.office !== 'espectro'),
    } as EntitySettings;

    // Act
    const refused = await refusalOf(
      replaceEntitySettings(deps, admin, 'MINTIC', { settings: withoutEspectro, ifMatch: '"1"' }),
    );
    await actNow(w, supervisor, record.radicado, { type: 'assign', office: 'atencion-ciudadano' });
    const removed = await replaceEntitySettings(deps, admin, 'MINTIC', {
      settings: withoutEspectro,
      ifMatch: '"1"',
    });

    // Assess
    expect(refused).toMatchObject({ code: 'invalid', issues: [{ field: 'offices', code: 'conflict' }] });
    expect(refused.message).toContain(record.radicado);
    expect(removed.version).toBe(2);
  });
});

describe('replaceEntitySettings: the change', () => {
  it('writes the next version and an audited event of what changed, chained on the entity’s trail', async () => {
    // Prepare
    const w = await world();

    // Act
    const first = await replaceEntitySettings(settingsDeps(w), admin, 'MINTIC', {
      settings: renamed('MinTIC'),
      ifMatch: '"1"',
    });
    const second = await replaceEntitySettings(settingsDeps(w), admin, 'MINTIC', {
      settings: { ...renamed('MinTIC'), proposalThreshold: 50 } as EntitySettings,
      ifMatch: '"2"',
    });

    // Assess
    expect(first).toMatchObject({
      version: 2,
      updatedAt: NOW,
      updatedBy: 'admin-1',
      settings: { name: 'MinTIC' },
    });
    expect(second.version).toBe(3);
    expect((await w.entities.get('MINTIC'))?.proposalThreshold).toBe(50);
    const events = await w.entities.entityEvents('MINTIC');
    expect(events.map((e) => [e.seq, e.type, e.radicado])).toEqual([
      [1, SETTINGS_EVENT, 'MINTIC'],
      [2, SETTINGS_EVENT, 'MINTIC'],
    ]);
    expect(events[0]).toMatchObject({
      prevHash: GENESIS_HASH,
      actor: { kind: 'officer', id: 'admin-1' },
      data: { version: 2, changed: ['name'], before: { name: MINTIC.name }, after: { name: 'MinTIC' } },
    });
    expect(events[1]).toMatchObject({
      prevHash: events[0]!.hash,
      data: {
        changed: ['proposalThreshold'],
        before: { proposalThreshold: 3 },
        after: { proposalThreshold: 50 },
      },
    });
    expect(await verifyEntityAudit({ settings: w.entities }, 'MINTIC')).toEqual({
      ok: true,
      events: 2,
      head: events[1]!.hash,
    });
  });

  it('writes nothing for a replacement that changes nothing', async () => {
    const w = await world();
    const view = await replaceEntitySettings(settingsDeps(w), admin, 'MINTIC', {
      settings: renamed(MINTIC.name),
      ifMatch: '"1"',
    });
    expect(view.version).toBe(1);
    expect(await w.entities.entityEvents('MINTIC')).toEqual([]);
  });

  it('writes nothing when the settings read are put back unchanged, default thresholds shown', async () => {
    // Prepare: MEDELLIN stores no semáforo thresholds; the view shows the defaults in force.
    const w = await world();
    const medellinAdmin = staff(['admin'], { entityId: 'MEDELLIN' });
    const read = await readEntitySettings(settingsDeps(w), medellinAdmin, 'MEDELLIN');
    expect(read.settings.semaforo).toEqual(DEFAULT_SEMAFORO);

    // Act
    const put = await replaceEntitySettings(settingsDeps(w), medellinAdmin, 'MEDELLIN', {
      settings: read.settings as EntitySettings,
      ifMatch: '"1"',
    });

    // Assess
    expect(put).toEqual(read);
    expect((await w.entities.getVersioned('MEDELLIN'))?.version).toBe(1);
    expect(await w.entities.entityEvents('MEDELLIN')).toEqual([]);
  });

  it('records a change against the thresholds in force, not against their absence', async () => {
    // Prepare
    const w = await world();
    const medellinAdmin = staff(['admin'], { entityId: 'MEDELLIN' });
    const read = await readEntitySettings(settingsDeps(w), medellinAdmin, 'MEDELLIN');

    // Act: the defaults, now spelled out, and a new name.
    await replaceEntitySettings(settingsDeps(w), medellinAdmin, 'MEDELLIN', {
      settings: { ...read.settings, name: 'Alcaldía de Medellín (Distrito)' } as EntitySettings,
      ifMatch: '"1"',
    });

    // Assess: only the name changed.
    const events = await w.entities.entityEvents('MEDELLIN');
    expect(events.map((e) => e.data.changed)).toEqual([['name']]);
    expect((await w.entities.getVersioned('MEDELLIN'))?.version).toBe(2);
  });

  it('refuses a change another admin’s overtook between the read and the write (412 with their tag)', async () => {
    // Prepare
    const w = await world();
    const colleague = { ...admin, subject: 'admin-2' };
    onceBefore(w.entities, 'saveSettings', () =>
      replaceEntitySettings(settingsDeps(w), colleague, 'MINTIC', { settings: renamed('B'), ifMatch: '"1"' }),
    );

    // Act
    const error = await refusalOf(
      replaceEntitySettings(settingsDeps(w), admin, 'MINTIC', { settings: renamed('A'), ifMatch: '"1"' }),
    );

    // Assess
    expect(error).toMatchObject({ code: 'precondition_failed', problem: { currentTag: '"2"' } });
    expect(await w.entities.getVersioned('MINTIC')).toMatchObject({ version: 2, updatedBy: 'admin-2' });
    expect((await w.entities.get('MINTIC'))?.name).toBe('B');
  });

  it('keeps hashes only when the detail would be too large for the event', async () => {
    const w = await world();
    const closures = Array.from({ length: 8000 }, (_, i) =>
      new Date(Date.UTC(2000, 0, 1) + i * 86_400_000).toISOString().slice(0, 10),
    );
    await replaceEntitySettings(settingsDeps(w), admin, 'MINTIC', {
      settings: { ...minticSettings, closures } as EntitySettings,
      ifMatch: '"1"',
    });
    const [event] = await w.entities.entityEvents('MINTIC');
    expect(event?.data).toMatchObject({ changed: ['closures'], detailOmitted: expect.any(String) });
    expect(event?.data).not.toHaveProperty('after');
    expect(event?.data.afterSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('fixes settings stored before a rule was tightened', async () => {
    const w = await world();
    w.entities.putRaw('MEDELLIN', { ...MEDELLIN, terms: { general: 20 } }, 4);
    const { id: _m, ...fixed } = MEDELLIN;
    const view = await replaceEntitySettings(
      settingsDeps(w),
      { ...admin, entityId: 'MEDELLIN' },
      'MEDELLIN',
      {
        settings: fixed as EntitySettings,
        ifMatch: '"4"',
      },
    );
    expect(view).toMatchObject({ version: 5 });
    expect(view.invalidFields).toBeUndefined();
    expect((await w.entities.entityEvents('MEDELLIN'))[0]?.data).toMatchObject({ changed: ['terms'] });
  });
});

describe('settingsChange', () => {
  it('names the top-level settings that changed, sorted, with absent values as null', () => {
    expect(
      settingsChange({ id: 'X', a: 1, b: [1], c: 'same' }, { id: 'Y', b: [1, 2], c: 'same', d: true }),
    ).toEqual({
      changed: ['a', 'b', 'd'],
      before: { a: 1, b: [1], d: null },
      after: { a: null, b: [1, 2], d: true },
    });
  });
});

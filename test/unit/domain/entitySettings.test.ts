/**
 * Entity settings as an admin sets them: what the domain schema accepts and refuses, and what an
 * audit event records of a change.
 */
import { describe, expect, it } from 'vitest';
import { settingsChange } from '#app/entitySettings.ts';
import { EntityClockSchema } from '#domain/clock/index.ts';
import {
  clockSettings,
  DEFAULT_SEMAFORO,
  type Entity,
  EntitySchema,
  EntitySettingsSchema,
} from '#domain/entity.ts';
import { issuesOf, type Locale } from '#domain/issues.ts';
import { demoEntities } from '#infra/local/seed.ts';

const mintic = () => demoEntities().find((e) => e.id === 'MINTIC') as Entity;

/** MINTIC's settings (no id) with some replaced. */
function settings(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const { id: _id, ...rest } = mintic();
  return { ...rest, ...overrides };
}

/** The issues of a refused settings object as a client reads them (`path: message`), English unless told. */
function issues(value: unknown, locale: Locale = 'en'): string[] {
  const r = EntitySettingsSchema.safeParse(value);
  return r.success ? [] : issuesOf(r.error, [], value).map((i) => i.message[locale]);
}

/** The codes of a refused settings object's issues, by field. */
function codes(value: unknown): string[] {
  const r = EntitySettingsSchema.safeParse(value);
  return r.success ? [] : issuesOf(r.error, [], value).map((i) => `${i.field} ${i.code}`);
}

describe('entity settings: the domain schema', () => {
  it('accepts the demo entities, and their clock settings are what the legal clock accepts', () => {
    for (const entity of demoEntities()) {
      const { id: _id, ...rest } = entity;
      expect(issues(rest)).toEqual([]);
      expect(EntityClockSchema.safeParse(clockSettings(entity)).success).toBe(true);
    }
  });

  it('refuses a term longer than the law, citing the article; accepts a shorter or equal one', () => {
    const refused = issues(settings({ terms: { general: 16 } }));
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatch(/^terms\.general: 16 business days is longer than the legal 15/);
    expect(refused[0]).toContain('Ley 1755 de 2015, art. 14');
    expect(issues(settings({ terms: { general: 16 } }), 'es')).toEqual([
      'terms.general: 16 días hábiles supera el término legal de 15 (Ley 1755 de 2015, art. 14): una entidad puede acortar los términos, nunca ampliarlos',
    ]);
    expect(codes(settings({ terms: { general: 16 } }))).toEqual(['terms.general too_large']);
    expect(issues(settings({ terms: { information: 11 } }))[0]).toContain('art. 14 num. 1');
    expect(issues(settings({ terms: { data_protection_claim: 20 } }))[0]).toContain(
      'Ley 1581 de 2012, art. 15',
    );
    expect(issues(settings({ terms: { general: 15, information: 5, query: 1 } }))).toEqual([]);
    expect(issues(settings({ terms: { general: 0 } }))[0]).toMatch(/^terms\.general:/);
  });

  it('refuses mapping a kind to a term class with a longer term than the law gives that kind', () => {
    const refused = issues(settings({ termClassByKind: { petition: 'query' } }));
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatch(
      /^termClassByKind\.petition: query gives 30 business days, longer than the legal 15/,
    );
    expect(refused[0]).toContain('art. 14');
    expect(issues(settings({ termClassByKind: { petition: 'query' } }), 'es')[0]).toMatch(
      /^termClassByKind\.petition: query da 30 días hábiles, más que el término legal de 15 .*\(Ley 1755 de 2015, art\. 14\)/,
    );
    // Shorter: fine; a query answered in the general 15 days, or a claim as a data-protection claim.
    expect(
      issues(settings({ termClassByKind: { query: 'general', claim: 'data_protection_claim' } })),
    ).toEqual([]);
    // Shortened by the entity's own override, the mapping no longer lengthens anything.
    expect(issues(settings({ termClassByKind: { petition: 'query' }, terms: { query: 15 } }))).toEqual([]);
  });

  it('refuses duplicate office ids, a default office or a routing rule pointing nowhere', () => {
    const offices = [
      { id: 'a', name: 'A' },
      { id: 'a', name: 'A bis' },
    ];
    expect(issues(settings({ offices, defaultOffice: 'a', routing: [] }))).toEqual([
      'offices: office ids must be unique',
    ]);
    expect(codes(settings({ offices, defaultOffice: 'a', routing: [] }))).toEqual(['offices conflict']);
    expect(codes(settings({ defaultOffice: 'nowhere' }))).toEqual(['defaultOffice not_found']);
    expect(issues(settings({ defaultOffice: 'nowhere' }))).toEqual([
      'defaultOffice: must be one of the offices',
    ]);
    expect(
      issues(settings({ routing: [{ office: 'conectividad' }, { office: 'ghost', kinds: ['query'] }] })),
    ).toEqual(['routing.1.office: must be one of the offices']);
    expect(issues(settings({ offices: [] }))[0]).toMatch(/^offices:/);
  });

  it('checks office hours: HH:MM and open before close', () => {
    expect(issues(settings({ officeHours: { open: '07:30', close: '17:30' } }))).toEqual([]);
    expect(issues(settings({ officeHours: { open: '7:30', close: '17:30' } }))).toEqual([
      'officeHours.open: must be a 24-hour time HH:MM, such as 08:00',
    ]);
    expect(issues(settings({ officeHours: { open: '7:30', close: '17:30' } }), 'es')).toEqual([
      'officeHours.open: escriba una hora HH:MM de 24 horas, como 08:00',
    ]);
    expect(issues(settings({ officeHours: { open: '08:00', close: '24:00' } }))).toEqual([
      'officeHours.close: must be a 24-hour time HH:MM, such as 08:00',
    ]);
    expect(issues(settings({ officeHours: { open: '17:00', close: '08:00' } }))).toEqual([
      'officeHours.close: close must be later than open',
    ]);
    expect(issues(settings({ officeHours: { open: '08:00', close: '08:00' } }))).toEqual([
      'officeHours.close: close must be later than open',
    ]);
  });

  it('checks closure days: real calendar dates the clock covers', () => {
    expect(issues(settings({ closures: ['2026-12-24', '2026-12-31'] }))).toEqual([]);
    expect(issues(settings({ closures: ['2026-12-24', '2026-02-30'] }))[0]).toMatch(
      /^closures\.1: expected a real calendar date YYYY-MM-DD/,
    );
    expect(issues(settings({ closures: ['24/12/2026'] }))[0]).toMatch(/^closures\.0:/);
    expect(issues(settings({ closures: ['1970-01-01'] }))[0]).toMatch(/^closures\.0:.*between 1984/);
  });

  it('checks semáforo thresholds: fractions, yellow below red, days left not negative', () => {
    expect(DEFAULT_SEMAFORO).toEqual({ yellow: 0.5, red: 0.8, redDaysLeft: 2 });
    expect(issues(settings({ semaforo: { yellow: 0.4, red: 0.7, redDaysLeft: 0 } }))).toEqual([]);
    expect(issues(settings({ semaforo: { yellow: 0.8, red: 0.5, redDaysLeft: 2 } }))).toEqual([
      'semaforo.red: red must be greater than yellow',
    ]);
    expect(issues(settings({ semaforo: { yellow: 0.6, red: 0.6, redDaysLeft: 2 } }))).toEqual([
      'semaforo.red: red must be greater than yellow',
    ]);
    expect(issues(settings({ semaforo: { yellow: 0.6, red: 0.6, redDaysLeft: 2 } }), 'es')).toEqual([
      'semaforo.red: el umbral rojo (red) debe ser mayor que el amarillo (yellow)',
    ]);
    expect(issues(settings({ semaforo: { yellow: 0.5, red: 0.8, redDaysLeft: -1 } }))[0]).toMatch(
      /^semaforo\.redDaysLeft:/,
    );
    expect(issues(settings({ semaforo: { yellow: 50, red: 80, redDaysLeft: 2 } }))[0]).toMatch(
      /^semaforo\.yellow:/,
    );
  });

  it('refuses unknown fields, and an id in the settings (the path names the entity)', () => {
    expect(issues(settings({ colour: 'blue' }))[0]).toMatch(/colour/);
    expect(issues(settings({ id: 'MINTIC' }))[0]).toMatch(/id/);
    expect(EntitySchema.safeParse({ ...settings(), id: 'MINTIC' }).success).toBe(true);
  });
});

describe('entity settings: what a change records', () => {
  it('names the top-level settings that changed, with their values before and after', () => {
    const before = { ...mintic() } as Record<string, unknown>;
    const after = { ...before, terms: { general: 10 }, semaforo: { yellow: 0.4, red: 0.7, redDaysLeft: 3 } };
    expect(settingsChange(before, after)).toEqual({
      changed: ['semaforo', 'terms'],
      before: { semaforo: before.semaforo, terms: null },
      after: { semaforo: { yellow: 0.4, red: 0.7, redDaysLeft: 3 }, terms: { general: 10 } },
    });
    // Same settings, keys in another order: nothing changed.
    const reordered = Object.fromEntries(Object.entries(before).reverse());
    expect(settingsChange(before, reordered).changed).toEqual([]);
  });
});

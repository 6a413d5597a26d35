import { describe, expect, it } from 'vitest';
import { routeCase } from '#domain/entity.ts';
import { demoEntities } from '#infra/local/seed.ts';

const [mintic, supersalud, medellin] = demoEntities() as [
  ReturnType<typeof demoEntities>[number],
  ReturnType<typeof demoEntities>[number],
  ReturnType<typeof demoEntities>[number],
];
const all = demoEntities();
const text = { subject: 'Asunto', description: 'Descripción' };

describe('routeCase', () => {
  it('takes the first rule whose kinds and categories match', () => {
    expect(routeCase(mintic, { ...text, kind: 'report', category: 'corruption' })).toEqual({
      office: 'control-interno',
      rule: 0,
    });
    expect(
      routeCase(mintic, { ...text, kind: 'information_request', category: 'connectivity_programs' }).office,
    ).toBe('transparencia');
    expect(routeCase(mintic, { ...text, kind: 'petition', category: 'digital_government' }).office).toBe(
      'gobierno-digital',
    );
  });

  it('matches keywords as whole words, blind to case and accents', () => {
    expect(
      routeCase(mintic, { kind: 'petition', subject: 'Falla de INTERNET', description: '' }).office,
    ).toBe('conectividad');
    expect(routeCase(mintic, { kind: 'petition', subject: 'internetworking', description: '' }).office).toBe(
      'atencion-ciudadano',
    );
    expect(routeCase(medellin, { kind: 'claim', subject: 'Semaforo dañado', description: '' }).office).toBe(
      'movilidad',
    );
  });

  it('falls back to the default office', () => {
    expect(routeCase(supersalud, { ...text, kind: 'petition' })).toEqual({ office: 'pqrd', rule: 'default' });
  });

  it('suggests forwarding a category outside the competence, naming competent entities', () => {
    const d = routeCase(mintic, { ...text, kind: 'petition', category: 'health_insurance' }, all);
    expect(d.office).toBe('atencion-ciudadano');
    expect(d.forwardSuggested).toEqual({ category: 'health_insurance', suggestedEntities: ['SUPERSALUD'] });
  });

  it('suggests forwarding a kind the entity does not list (art. 21), naming entities that take it', () => {
    expect(medellin.kinds).not.toContain('query');
    const d = routeCase(medellin, { ...text, kind: 'query' }, all);
    expect(d).toEqual({
      office: medellin.defaultOffice,
      rule: 'default',
      forwardSuggested: {
        kind: 'query',
        suggestedEntities: all
          .filter((e) => e.id !== 'MEDELLIN' && e.kinds.includes('query'))
          .map((e) => e.id),
      },
    });
    expect(d.forwardSuggested?.suggestedEntities.length).toBeGreaterThan(0);
    // Kind and category both outside: the entities that take both.
    const both = routeCase(medellin, { ...text, kind: 'query', category: 'health_insurance' }, all);
    expect(both.forwardSuggested).toEqual({
      kind: 'query',
      category: 'health_insurance',
      suggestedEntities: ['SUPERSALUD'],
    });
  });
});

describe('EntitySchema', () => {
  it('refuses a term longer than the law allows, naming the term class', async () => {
    const { EntitySchema } = await import('#domain/entity.ts');
    const r = EntitySchema.safeParse({ ...mintic, terms: { general: 16, information: 10 } });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(['terms.general']);
    expect(EntitySchema.safeParse({ ...mintic, terms: { general: 12, query: 30 } }).success).toBe(true);
  });

  it('refuses routing to an office the entity does not have', async () => {
    const { EntitySchema } = await import('#domain/entity.ts');
    const r = EntitySchema.safeParse({ ...mintic, routing: [{ office: 'nowhere', kinds: ['petition'] }] });
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(['routing.0.office']);
  });
});

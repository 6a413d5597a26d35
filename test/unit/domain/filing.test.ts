import { describe, expect, it } from 'vitest';
import { FilingSchema } from '#domain/case/filing.ts';

const base = {
  entityId: 'MINTIC',
  kind: 'petition',
  subject: 'Conectividad en la vereda',
  description: 'Solicito información sobre el programa de zonas wifi.',
  petitioner: { name: 'Ana Pérez', idType: 'CC', idNumber: '52123456', email: 'ana@example.com' },
};

function fields(input: unknown): string[] {
  const r = FilingSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
}

describe('FilingSchema', () => {
  it('accepts a complete petition and defaults the channel to web', () => {
    const parsed = FilingSchema.parse(base);
    expect(parsed.channel).toBe('web');
  });

  it('names the field of each refusal', () => {
    expect(fields({ ...base, kind: 'wish' })).toEqual(['kind']);
    expect(fields({ ...base, subject: 'x'.repeat(10_000) })).toEqual(['subject']);
    expect(fields({ ...base, subject: '   ' })).toEqual(['subject']);
    expect(fields({ ...base, petitioner: { ...base.petitioner, email: 'not-an-email' } })).toEqual([
      'petitioner.email',
    ]);
    expect(fields({ ...base, description: 'hola <script>alert(1)</script>' })).toEqual(['description']);
    expect(fields({ ...base, subject: '<b>urgente</b>' })).toEqual(['subject']);
    expect(fields({ ...base, extra: 1 })).toEqual(['']);
  });

  it('keeps plain text with comparison signs', () => {
    expect(fields({ ...base, description: 'El costo es < 100 y > 50 pesos' })).toEqual([]);
  });

  it('requires a petitioner unless an anonymous report or complaint', () => {
    const { petitioner: _p, ...noPetitioner } = base;
    expect(fields(noPetitioner)).toEqual(['petitioner']);
    expect(fields({ ...noPetitioner, anonymous: true })).toEqual(['anonymous']);
    expect(fields({ ...noPetitioner, kind: 'report', anonymous: true })).toEqual([]);
    expect(fields({ ...noPetitioner, kind: 'complaint', anonymous: true })).toEqual([]);
    expect(fields({ ...base, kind: 'report', anonymous: true })).toEqual(['anonymous']);
  });

  it('requires a way to answer the petitioner', () => {
    expect(fields({ ...base, petitioner: { name: 'Ana', idType: 'CC', idNumber: '123456' } })).toEqual([
      'petitioner.email',
    ]);
    expect(
      fields({
        ...base,
        petitioner: { name: 'Ana', idType: 'CC', idNumber: '123456', phone: '+57 300 123 4567' },
      }),
    ).toEqual([]);
  });

  it('refuses unknown categories', () => {
    expect(fields({ ...base, category: 'astrology' })).toEqual(['category']);
    expect(fields({ ...base, category: 'health_services' })).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { completionSuggested, FilingSchema, isPriority } from '#domain/case/filing.ts';

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
    for (const text of [
      'si a < b entonces',
      '5 <= 6',
      'x<3 y <- flecha',
      'precio <$500',
      '<<< 3',
      'a <= b',
    ]) {
      expect(fields({ ...base, description: text }), text).toEqual([]);
    }
  });

  it('refuses markup whether or not it is closed', () => {
    for (const text of [
      'hola <img src=x onerror=alert(1) ',
      'hola <svg onload=alert(1)',
      'fin </textarea',
      'fin < /textarea>',
      'un comentario <!-- x',
      'un comentario < !-- x',
      '<?xml version="1.0"',
      '<b>urgente</b>',
      'Juan <juan@x.co>',
      'tildes <ñ',
    ]) {
      expect(fields({ ...base, description: text }), text).toEqual(['description']);
    }
  });

  it('no longer refuses the word javascript: without markup it is text', () => {
    expect(fields({ ...base, description: 'El enlace decía javascript:void(0) y no abrió' })).toEqual([]);
  });

  it('refuses bidirectional override and isolate controls with a clear message', () => {
    for (const c of [
      '\u202A',
      '\u202B',
      '\u202C',
      '\u202D',
      '\u202E',
      '\u2066',
      '\u2067',
      '\u2068',
      '\u2069',
    ]) {
      const r = FilingSchema.safeParse({ ...base, subject: `factura ${c}fdp.exe` });
      expect(r.success, `U+${c.codePointAt(0)?.toString(16)}`).toBe(false);
      expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
        ['subject', expect.stringMatching(/bidirectional/)],
      ]);
    }
    // Right-to-left letters themselves (and the implicit marks) are fine.
    expect(fields({ ...base, subject: 'Consulta en árabe: مرحبا \u200F' })).toEqual([]);
  });

  it('refuses lone surrogates but accepts paired ones (emoji)', () => {
    for (const bad of ['roto \uD83D', 'roto \uDE00 aquí', '\uDE00\uD83D']) {
      const r = FilingSchema.safeParse({ ...base, description: bad });
      expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
        ['description', expect.stringMatching(/unpaired surrogate/)],
      ]);
    }
    expect(fields({ ...base, description: 'Gracias 😀 por la atención' })).toEqual([]);
  });

  it('refuses Unicode noncharacters, in every plane, and takes every other character', () => {
    for (const bad of ['a\uFFFEb', 'a\uFFFF', '\uFDD0x', 'x\uFDEF', 'x\u{1FFFE}', 'x\u{10FFFF}']) {
      const r = FilingSchema.safeParse({ ...base, description: bad });
      expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
        ['description', expect.stringMatching(/noncharacters/)],
      ]);
    }
    // Their neighbours are characters: U+FDCF, U+FDF0, U+FFFD, U+1FFFD, private use, math letters.
    for (const good of ['\uFDCF', '\uFDF0', '\uFFFD', '\u{1FFFD}', '\uE000', '𝒳 👍🏽 ✔️']) {
      expect(fields({ ...base, description: `texto ${good}` }), good).toEqual([]);
    }
  });

  it('receives a filing without petitioner data, flagged for completion (Ley 1755 arts. 15, 16, 17)', () => {
    const { petitioner: _p, ...noPetitioner } = base;
    const parsed = (input: unknown) => FilingSchema.parse(input);
    // Only a contradiction is malformed: petitioner data and anonymous both.
    expect(fields({ ...base, kind: 'report', anonymous: true })).toEqual(['anonymous']);
    for (const input of [noPetitioner, { ...noPetitioner, anonymous: true }]) {
      expect(fields(input)).toEqual([]);
      expect(completionSuggested(parsed(input))?.missing).toEqual(['petitioner']);
    }
    for (const kind of ['report', 'complaint']) {
      expect(completionSuggested(parsed({ ...noPetitioner, kind, anonymous: true }))).toBeUndefined();
    }
    const noContact = parsed({ ...base, petitioner: { name: 'Ana', idType: 'CC', idNumber: '123456' } });
    expect(completionSuggested(noContact)?.missing).toEqual(['petitioner.contact']);
    const noId = parsed({ ...base, petitioner: { name: 'Ana', phone: '+57 300 123 4567' } });
    expect(completionSuggested(noId)).toMatchObject({
      missing: ['petitioner.idType', 'petitioner.idNumber'],
      why: { es: expect.stringContaining('Ley 1755 de 2015, arts. 16 y 17') },
    });
    const whole = parsed({
      ...base,
      petitioner: { name: 'Ana', idType: 'CC', idNumber: '123456', phone: '+57 300 123 4567' },
    });
    expect(completionSuggested(whole)).toBeUndefined();
  });

  it('gives priority to preferential groups, journalists and fundamental rights at risk (CPACA art. 5 num. 6; art. 20)', () => {
    const p = { name: 'Ana', idType: 'CC', idNumber: '123456', phone: '3001234' } as const;
    const parsed = (petitioner: Record<string, unknown>) => FilingSchema.parse({ ...base, petitioner });
    expect(isPriority(parsed(p))).toBe(false);
    for (const group of ['child_or_adolescent', 'older_adult', 'disability', 'pregnant', 'victim']) {
      expect(isPriority(parsed({ ...p, preferential: [group] })), group).toBe(true);
    }
    expect(isPriority(parsed({ ...p, journalist: true }))).toBe(true);
    expect(isPriority(parsed({ ...p, fundamentalRightRisk: true }))).toBe(true);
    expect(fields({ ...base, petitioner: { ...p, preferential: ['vip'] } })).toEqual([
      'petitioner.preferential.0',
    ]);
  });

  it('still refuses malformed petitioner data (a bad email, a bad document number)', () => {
    expect(fields({ ...base, petitioner: { name: 'Ana', email: 'not-an-email' } })).toEqual([
      'petitioner.email',
    ]);
    expect(
      fields({ ...base, petitioner: { name: 'Ana', idType: 'CC', idNumber: '1 2', phone: '3001234' } }),
    ).toEqual(['petitioner.idNumber']);
  });

  it('requires 7 to 15 digits in a phone number', () => {
    const withPhone = (phone: string) =>
      fields({ ...base, petitioner: { name: 'Ana', idType: 'CC', idNumber: '123456', phone } });
    for (const ok of ['3001234', '+57 300 123 4567', '(601) 555-1234', '123456789012345']) {
      expect(withPhone(ok), ok).toEqual([]);
    }
    for (const bad of [
      '-------',
      '(((  )))',
      '+ - - - - - -',
      '12-34-56',
      '1234567890123456',
      '+57 300 abc 4567',
    ]) {
      expect(withPhone(bad), bad).toEqual(['petitioner.phone']);
    }
  });

  it('refuses unknown categories', () => {
    expect(fields({ ...base, category: 'astrology' })).toEqual(['category']);
    expect(fields({ ...base, category: 'health_services' })).toEqual([]);
  });
});

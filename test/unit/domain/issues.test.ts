/**
 * Field issues as clients read them: every zod issue kind becomes a stable code and a message in
 * Spanish and English that names the field and says how to fix it, never zod's own wording.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { FilingSchema, ID_TYPES } from '#domain/case/filing.ts';
import { LifecycleActionSchema } from '#domain/case/lifecycle.ts';
import { fieldIssue, ISSUE_CODES, issuesOf, pattern, phrase, refinement } from '#domain/issues.ts';

/** The issues of `schema` refusing `input`. */
function refused(schema: z.ZodType, input: unknown, prefix: string[] = []) {
  const r = schema.safeParse(input);
  if (r.success) throw new Error('expected a refusal');
  return issuesOf(r.error, prefix, input);
}

const ZOD_WORDING =
  /Invalid input|Invalid option|expected one of|Invalid string|Too (big|small)|Unrecognized/;

const filing = (overrides: Record<string, unknown> = {}) => ({
  entityId: 'MINTIC',
  kind: 'petition',
  subject: 'Zona wifi',
  description: 'Solicito información.',
  petitioner: { name: 'Ana Pérez', idType: 'CC', idNumber: '52123456', email: 'ana@example.com' },
  ...overrides,
});

describe('issuesOf: one code and two messages per zod issue', () => {
  it('required: a missing field', () => {
    expect(refused(z.strictObject({ subject: z.string() }), {})).toEqual([
      {
        field: 'subject',
        code: 'required',
        message: phrase('subject: es obligatorio', 'subject: is required'),
      },
    ]);
    // An empty text is required too (plainText's minimum of one character).
    const { petitioner: _p, ...rest } = filing();
    expect(refused(FilingSchema, { ...rest, subject: '   ', anonymous: true, kind: 'report' })).toEqual([
      {
        field: 'subject',
        code: 'required',
        message: phrase('subject: no puede estar vacío', 'subject: must not be empty'),
      },
    ]);
  });

  it('invalid_type: present, but of another type', () => {
    expect(refused(z.strictObject({ n: z.number() }), { n: 'x' })).toEqual([
      { field: 'n', code: 'invalid_type', message: phrase('n: debe ser un número', 'n: must be a number') },
    ]);
  });

  it('too_long and too_many, with the maximum', () => {
    expect(refused(FilingSchema, filing({ subject: 's'.repeat(301) }))).toEqual([
      {
        field: 'subject',
        code: 'too_long',
        message: phrase(
          'subject: admite como máximo 300 caracteres: acórtelo',
          'subject: must have at most 300 characters',
        ),
      },
    ]);
    const [many] = refused(z.strictObject({ items: z.array(z.number()).max(2) }), { items: [1, 2, 3] });
    expect(many).toMatchObject({ field: 'items', code: 'too_many' });
    expect(many?.message.es).toBe('items: admite como máximo 2 elementos');
  });

  it('too_small and too_large tell an open bound from a closed one', () => {
    const thresholds = z.strictObject({
      yellow: z.number().gt(0).lt(1),
      days: z.number().int().min(0).max(30),
    });
    expect(
      refused(thresholds, { yellow: 1, days: 31 }).map((i) => [i.code, i.message.es, i.message.en]),
    ).toEqual([
      ['too_large', 'yellow: debe ser menor que 1', 'yellow: must be less than 1'],
      ['too_large', 'days: debe ser como máximo 30', 'days: must be at most 30'],
    ]);
    expect(refused(thresholds, { yellow: 0, days: -1 }).map((i) => [i.code, i.message.es])).toEqual([
      ['too_small', 'yellow: debe ser mayor que 0'],
      ['too_small', 'days: debe ser al menos 0'],
    ]);
  });

  it('invalid_format: the hint of the pattern, or of the format', () => {
    expect(refused(FilingSchema, filing({ entityId: 'mintic' }))).toEqual([
      {
        field: 'entityId',
        code: 'invalid_format',
        message: phrase(
          'entityId: escriba el id de una entidad, en mayúsculas, como MINTIC',
          'entityId: must be an entity id in capitals, such as MINTIC',
        ),
      },
    ]);
    const [email] = refused(FilingSchema, filing({ petitioner: { ...filing().petitioner, email: 'ana' } }));
    expect(email).toEqual({
      field: 'petitioner.email',
      code: 'invalid_format',
      message: phrase(
        'petitioner.email: escriba un correo electrónico como ana@ejemplo.com',
        'petitioner.email: must be an email address such as ana@example.com',
      ),
    });
    // A pattern nobody described: the field is named, and zod's wording never shows.
    const [bare] = refused(z.strictObject({ code: z.string().regex(/^\d{3}$/) }), { code: 'x' });
    expect(bare).toEqual({
      field: 'code',
      code: 'invalid_format',
      message: phrase('code: no tiene la forma esperada', 'code: does not have the expected form'),
    });
  });

  it('a described pattern gives its hint wherever it is used, under any field name', () => {
    const THREE = pattern(
      /^[a-z]{3}$/,
      'tres letras minúsculas, como abc',
      'three lower-case letters such as abc',
    );
    const [i] = refused(z.strictObject({ anything: z.string().regex(THREE) }), { anything: 'ABCD' }, [
      'query',
    ]);
    expect(i).toEqual({
      field: 'query.anything',
      code: 'invalid_format',
      message: phrase(
        'query.anything: escriba tres letras minúsculas, como abc',
        'query.anything: must be three lower-case letters such as abc',
      ),
    });
  });

  it('not_allowed: a sentence naming the field and listing the enumeration’s ids', () => {
    const [idType] = refused(
      FilingSchema,
      filing({ petitioner: { ...filing().petitioner, idType: 'cedula' } }),
    );
    expect(idType).toEqual({
      field: 'petitioner.idType',
      code: 'not_allowed',
      message: phrase(
        `petitioner.idType: debe ser uno de estos valores: ${ID_TYPES.join(', ')}`,
        `petitioner.idType: must be one of: ${ID_TYPES.join(', ')}`,
      ),
    });
    expect(`${idType?.message.es} ${idType?.message.en}`).not.toMatch(ZOD_WORDING);
    // A literal: the one value it takes.
    const { petitioner: _p, ...anonymous } = filing({ kind: 'report' });
    expect(refused(FilingSchema, { ...anonymous, anonymous: false })[0]?.message).toEqual(
      phrase('anonymous: debe ser true', 'anonymous: must be true'),
    );
  });

  it('not_allowed or required for the tag of a tagged union, listing the tags', () => {
    const [wrong] = refused(LifecycleActionSchema, { type: 'approve' });
    expect(wrong).toMatchObject({ field: 'type', code: 'not_allowed' });
    expect(wrong?.message.es).toMatch(
      /^type: debe ser uno de estos valores: assign, reclassify, .*send_to_court, record_legend$/,
    );
    const [missing] = refused(LifecycleActionSchema, {});
    expect(missing).toMatchObject({ field: 'type', code: 'required' });
    expect(missing?.message.en).toMatch(/^type: is required: one of assign, /);
  });

  it('unknown_field: one issue per unknown key, each naming the key to remove', () => {
    expect(refused(z.strictObject({ a: z.number() }), { a: 1, b: 2, c: 3 }, ['body'])).toEqual([
      {
        field: 'body.b',
        code: 'unknown_field',
        message: phrase(
          'body.b: no es un campo de esta solicitud: quítelo',
          'body.b: is not a field of this request: remove it',
        ),
      },
      {
        field: 'body.c',
        code: 'unknown_field',
        message: phrase(
          'body.c: no es un campo de esta solicitud: quítelo',
          'body.c: is not a field of this request: remove it',
        ),
      },
    ]);
  });

  it('custom: the code and Spanish text a refinement gives in params, its message as the English', () => {
    const schema = z.strictObject({ from: z.number(), to: z.number() }).refine((r) => r.to > r.from, {
      ...refinement('too_early', 'debe ser posterior a from', 'must be after from'),
      path: ['to'],
    });
    expect(refused(schema, { from: 2, to: 1 })).toEqual([
      {
        field: 'to',
        code: 'too_early',
        message: phrase('to: debe ser posterior a from', 'to: must be after from'),
      },
    ]);
    // The same through ctx.addIssue (superRefine): the filing's petitioner-or-anonymous rule.
    expect(refused(FilingSchema, { ...filing(), kind: 'report', anonymous: true })).toEqual([
      {
        field: 'anonymous',
        code: 'conflict',
        message: phrase(
          'anonymous: envíe petitioner o anonymous, no ambos: quite uno de los dos',
          'anonymous: give either petitioner or anonymous, not both',
        ),
      },
    ]);
    // A refinement without params never shows English to a Spanish reader.
    const bare = z.number().refine((n) => n > 0, { message: 'must be positive' });
    expect(refused(z.strictObject({ n: bare }), { n: -1 })).toEqual([
      { field: 'n', code: 'invalid_value', message: phrase('n: no es válido', 'n: must be positive') },
    ]);
  });

  it('names the body itself when the whole input is wrong', () => {
    expect(refused(z.strictObject({ a: z.number() }), 'text')[0]).toMatchObject({
      field: 'body',
      code: 'invalid_type',
    });
  });

  it('fieldIssue prefixes both messages with the field', () => {
    expect(fieldIssue('header.if-match', 'required', 'es obligatorio', 'is required')).toEqual({
      field: 'header.if-match',
      code: 'required',
      message: phrase('header.if-match: es obligatorio', 'header.if-match: is required'),
    });
  });

  it('keeps its codes stable and unique (a portal switches on them)', () => {
    expect(new Set(ISSUE_CODES).size).toBe(ISSUE_CODES.length);
    for (const code of ISSUE_CODES) expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/);
  });
});

describe('every refinement in the code says its Spanish and its code', () => {
  const root = resolve(import.meta.dirname, '../../..');
  const files = (dir: string): string[] =>
    readdirSync(join(root, dir)).flatMap((name) => {
      const path = join(dir, name);
      return statSync(join(root, path)).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
    });

  it('gives every .refine and custom ctx.addIssue a refinement(code, es, en)', () => {
    // shared/config.ts validates the environment at cold start: operators read it, not citizens.
    const sources = [...files('shared'), ...files('functions')].filter((f) => f !== 'shared/config.ts');
    const bare: string[] = [];
    for (const file of sources) {
      const text = readFileSync(join(root, file), 'utf8');
      const calls = [...text.matchAll(/\.refine\(|\.addIssue\(/g)].map((m) => m.index);
      calls.forEach((at, i) => {
        // The options follow the check, before the next refinement and within a few lines.
        const window = text.slice(at, Math.min(calls[i + 1] ?? text.length, at + 600));
        const constant = /(?:,|\.\.\.)\s*([A-Z][A-Z_]+)\s*,?\s*[)}]/.exec(window)?.[1];
        const described =
          window.includes('refinement(') ||
          (constant !== undefined && text.includes(`const ${constant} = refinement(`));
        if (!described) bare.push(`${file}:${text.slice(0, at).split('\n').length}`);
      });
    }
    expect(bare).toEqual([]);
  });
});

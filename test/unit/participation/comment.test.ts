import { describe, expect, it } from 'vitest';
import {
  CommentInputSchema,
  groupKey,
  newReference,
  REDACTED,
  REFERENCE,
  redactPersonalData,
  skeleton,
} from '#domain/participation/comment.ts';

describe('comment input', () => {
  const base = { sectionId: 's1', stance: 'oppose', text: 'No estoy de acuerdo.' };

  it('keeps markup as plain text (not refused), trims, refuses empty and over-long text', () => {
    const script = '<script>alert("x")</script> <img src=x onerror=alert(1)>';
    expect(CommentInputSchema.parse({ ...base, text: `  ${script}  ` }).text).toBe(script);
    const empty = CommentInputSchema.safeParse({ ...base, text: '   ' });
    expect(empty.error?.issues[0]).toMatchObject({ path: ['text'], message: 'must not be empty' });
    const long = CommentInputSchema.safeParse({ ...base, text: 'a'.repeat(20_000) });
    expect(long.error?.issues[0]).toMatchObject({
      path: ['text'],
      message: 'must have at most 10000 characters',
    });
    expect(CommentInputSchema.safeParse({ ...base, text: 'a'.repeat(10_000) }).success).toBe(true);
    expect(CommentInputSchema.safeParse({ ...base, text: 'bad \u0007 bell' }).success).toBe(false);
  });

  it('names an unknown stance, section id shape, department and age band', () => {
    const bad = CommentInputSchema.safeParse({
      ...base,
      stance: 'maybe',
      sectionId: 'x',
      department: '12',
      ageBand: '30',
    });
    expect(bad.error?.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'ageBand',
      'department',
      'sectionId',
      'stance',
    ]);
  });
});

describe('references', () => {
  it('are 16 Crockford base32 characters in groups of four, random without a key', () => {
    const a = newReference();
    expect(a).toMatch(REFERENCE);
    expect(newReference()).not.toBe(a);
  });

  it('are the same for the same (consultation, author, key) and differ otherwise', () => {
    const k = {
      consultationId: 'MINTIC-C-7K2M9Q4X',
      authorHash: 'a'.repeat(64),
      key: 'key-0123456789abcdef',
    };
    expect(newReference(k)).toBe(newReference(k));
    expect(newReference(k)).toMatch(REFERENCE);
    expect(newReference({ ...k, authorHash: 'b'.repeat(64) })).not.toBe(newReference(k));
  });
});

describe('campaign groups', () => {
  it('groups texts that differ only in case, accents, punctuation, spacing and numbers', () => {
    expect(skeleton('¡NO al  Artículo 5!')).toBe('no al articulo');
    const a = groupKey('s1', 'oppose', '¡NO al artículo 5!');
    expect(groupKey('s1', 'oppose', 'no al articulo 5')).toBe(a);
    expect(groupKey('s1', 'oppose', 'No al artículo 7.')).toBe(a);
    expect(groupKey('s1', 'oppose', 'No al artículo, por favor')).not.toBe(a);
    expect(groupKey('s2', 'oppose', 'no al articulo 5')).not.toBe(a);
    expect(groupKey('s1', 'support', 'no al articulo 5')).not.toBe(a);
    expect(a).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('redaction of published text', () => {
  it('removes e-mails and numbers of seven or more digits, keeps article numbers and years', () => {
    const text =
      'Soy Ana, ana.perez@example.com, CC 52.123.456, cel 300 123 4567. Art. 5 del Decreto 1081 de 2015.';
    const out = redactPersonalData(text);
    expect(out).not.toContain('example.com');
    expect(out).not.toContain('52.123.456');
    expect(out).not.toContain('300 123 4567');
    expect(out.split(REDACTED)).toHaveLength(4);
    expect(out).toContain('Art. 5 del Decreto 1081 de 2015.');
  });
});

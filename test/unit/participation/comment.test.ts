import { describe, expect, it } from 'vitest';
import {
  CommentInputSchema,
  type CommentMessage,
  CommentMessageSchema,
  commentContentHash,
  groupKey,
  MAX_COMMENT_TEXT,
  newReference,
  REDACTED,
  REFERENCE,
  redactPersonalData,
  skeleton,
} from '#domain/participation/comment.ts';

describe('comment input', () => {
  const base = { sectionId: 's1', stance: 'oppose', text: 'No estoy de acuerdo.' };

  it('keeps markup as plain text (not refused), trims, takes empty text and up to 50,000 characters', () => {
    const script = '<script>alert("x")</script> <img src=x onerror=alert(1)>';
    expect(CommentInputSchema.parse({ ...base, text: `  ${script}  ` }).text).toBe(script);
    // A bare stance: empty or blank text is kept as "".
    expect(CommentInputSchema.parse({ ...base, text: '' }).text).toBe('');
    expect(CommentInputSchema.parse({ ...base, text: ' \n\t ' }).text).toBe('');
    expect(
      CommentInputSchema.safeParse({ sectionId: 's1', stance: 'oppose' }).error?.issues[0]?.path,
    ).toEqual(['text']);
    expect(CommentInputSchema.parse({ ...base, text: 'a'.repeat(20_000) }).text).toHaveLength(20_000);
    expect(CommentInputSchema.parse({ ...base, text: '€'.repeat(MAX_COMMENT_TEXT) }).text).toHaveLength(
      50_000,
    );
    const long = CommentInputSchema.safeParse({ ...base, text: 'a'.repeat(50_001) });
    expect(long.error?.issues[0]).toMatchObject({
      path: ['text'],
      message: 'must have at most 50000 characters',
    });
    expect(CommentInputSchema.safeParse({ ...base, text: 'bad \u0007 bell' }).success).toBe(false);
  });

  it('the queue message of the longest comment fits SQS (256 KiB) and its item DynamoDB (400 KB)', () => {
    // The worst text: JSON writes a UTF-16 unit in at most 3 bytes (a BMP character such as €;
    // quotes, backslashes, tabs and line breaks take 2; other control characters are refused).
    const text = '€'.repeat(MAX_COMMENT_TEXT);
    const message: CommentMessage = {
      type: 'comment',
      reference: newReference(),
      consultationId: 'MINTIC-C-7K2M9Q4X',
      sectionId: 's1',
      stance: 'observation',
      text: CommentInputSchema.parse({ ...base, text }).text,
      acceptedAt: '2026-03-02T15:00:00.000Z',
      author: { kind: 'device', hash: 'a'.repeat(64) },
      department: '11',
      ageBand: '29_44',
    };
    expect(CommentMessageSchema.parse(message).text).toBe(message.text);
    const body = JSON.stringify(message);
    expect(Buffer.byteLength(body, 'utf8')).toBeLessThan(256 * 1024);
    // The stored item: the message plus keys, group key and version; UTF-8 as DynamoDB counts it.
    expect(Buffer.byteLength(message.text, 'utf8') + 2048).toBeLessThan(400_000);
    // The request a JSON encoder writes fits the API's body limit (160 KiB).
    const request = JSON.stringify({
      sectionId: 's1',
      stance: 'observation',
      text: '€'.repeat(MAX_COMMENT_TEXT),
    });
    expect(Buffer.byteLength(request, 'utf8')).toBeLessThan(160 * 1024);
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

describe('comment content hash (Idempotency-Key reuse)', () => {
  it('is the same for the same section, stance, text and attributes, and differs when any changes', () => {
    const c = {
      sectionId: 's1',
      stance: 'oppose' as const,
      text: 'No al artículo 5.',
      department: '11' as const,
    };
    const h = commentContentHash(c);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(commentContentHash({ ...c })).toBe(h);
    expect(commentContentHash({ ...c, ageBand: undefined })).toBe(h);
    expect(commentContentHash({ ...c, text: 'No al artículo 6.' })).not.toBe(h);
    expect(commentContentHash({ ...c, stance: 'support' })).not.toBe(h);
    expect(commentContentHash({ ...c, sectionId: 's2' })).not.toBe(h);
    expect(commentContentHash({ sectionId: 's1', stance: 'oppose', text: 'No al artículo 5.' })).not.toBe(h);
    expect(commentContentHash({ ...c, ageBand: '18_28' })).not.toBe(h);
    // The text is not in it.
    expect(h).not.toContain('art');
  });
});

describe('campaign groups', () => {
  it('puts the bare stances (empty text) of one section and stance in one group', () => {
    expect(groupKey('s1', 'support', '')).toBe(groupKey('s1', 'support', ''));
    expect(groupKey('s1', 'support', '')).toMatch(/^[0-9a-f]{16}$/);
    expect(groupKey('s1', 'oppose', '')).not.toBe(groupKey('s1', 'support', ''));
    expect(groupKey('s2', 'support', '')).not.toBe(groupKey('s1', 'support', ''));
  });

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

  it.each([
    ['CC 52,123,456', 'CC [dato personal retirado]'],
    ['cel 300 - 123 - 4567.', 'cel [dato personal retirado].'],
    ['tel. 300/123/4567', 'tel. [dato personal retirado]'],
    ['(+57) 300 123 4567', '([dato personal retirado]'],
    ['cédula ５２１２３４５６', 'cédula [dato personal retirado]'],
    ['cel ３００－１２３－４５６７', 'cel [dato personal retirado]'],
    ['escriba a juan [at] example.com', 'escriba a [dato personal retirado]'],
    ['juan (arroba) example punto com', '[dato personal retirado]'],
    ['juan at example dot com', '[dato personal retirado]'],
    ['juan ＠ example．com y más', '[dato personal retirado] y más'],
    ['JUAN @ EXAMPLE.COM', '[dato personal retirado]'],
  ])('redacts %j', (text, published) => {
    expect(redactPersonalData(text)).toBe(published);
  });

  it.each([
    'Art. 5 del Decreto 1081 de 2015',
    'artículos 1, 2 y 3 de la Ley 1755 de 2015',
    'la banda de 3,5 GHz',
    'véase https://www.mintic.gov.co/portal/inicio',
    'nos vemos en la plaza a las 10:30',
  ])('keeps %j', (text) => {
    expect(redactPersonalData(text)).toBe(text);
  });

  it('takes one pass over the longest comment, whatever it holds (no catastrophic backtracking)', () => {
    // Each took ~3 s with the former e-mail pattern (quadratic); now well under a millisecond.
    for (const text of [
      'a'.repeat(50_000),
      'a.'.repeat(25_000),
      `a@${'b.'.repeat(24_990)}`,
      'a at b dot '.repeat(4_500),
    ]) {
      const started = performance.now();
      redactPersonalData(text);
      expect(performance.now() - started, text.slice(0, 10)).toBeLessThan(500);
    }
  });
});

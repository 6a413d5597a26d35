import { describe, expect, it } from 'vitest';
import { formatRadicado, parseRadicado } from '#domain/case/radicado.ts';
import { canonicalJson, checkJsonKeys, MAX_JSON_DEPTH } from '#domain/text.ts';

const findForbiddenKey = (value: unknown) => checkJsonKeys(value)?.path;

describe('canonicalJson', () => {
  it('gives equal text for equal data whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
  });
});

describe('findForbiddenKey', () => {
  it('finds prototype keys at any depth', () => {
    expect(findForbiddenKey(JSON.parse('{"a":{"__proto__":{"x":1}}}'))).toBe('a.__proto__');
    expect(findForbiddenKey(JSON.parse('[{"constructor":1}]'))).toBe('0.constructor');
    expect(findForbiddenKey({ a: [1, 2], b: 'x' })).toBeUndefined();
  });

  it('reports the first forbidden key in document order', () => {
    expect(findForbiddenKey(JSON.parse('{"a":{"b":{"prototype":1}},"constructor":1}'))).toBe('a.b.prototype');
  });
});

describe('checkJsonKeys', () => {
  const nested = (levels: number) => JSON.parse(`${'['.repeat(levels)}${']'.repeat(levels)}`);
  const nestedObject = (levels: number) =>
    JSON.parse(`${'{"a":'.repeat(levels - 1)}{}${'}'.repeat(levels - 1)}`);

  it(`accepts ${MAX_JSON_DEPTH} levels of nesting and refuses one more`, () => {
    expect(MAX_JSON_DEPTH).toBe(32);
    expect(checkJsonKeys(nested(32))).toBeUndefined();
    expect(checkJsonKeys(nestedObject(32))).toBeUndefined();
    expect(checkJsonKeys(nested(33))).toMatchObject({ kind: 'too_deep', maxDepth: 32 });
    expect(checkJsonKeys(nestedObject(33))).toEqual({
      kind: 'too_deep',
      path: Array(32).fill('a').join('.'),
      maxDepth: 32,
    });
  });

  it('answers for JSON far deeper than the stack allows, without a RangeError', () => {
    const arrays = nested(30_000);
    const objects = nestedObject(9_000);
    expect(checkJsonKeys(arrays)).toMatchObject({ kind: 'too_deep' });
    expect(checkJsonKeys(objects)).toMatchObject({ kind: 'too_deep' });
    // The compatibility wrapper refuses such input too rather than throwing.
    expect(findForbiddenKey(arrays)).toBe(Array(32).fill('0').join('.'));
  });

  it('reports a forbidden key before the depth limit is reached and ignores scalars', () => {
    expect(checkJsonKeys(JSON.parse('{"x":{"__proto__":{}}}'))).toEqual({
      kind: 'forbidden_key',
      path: 'x.__proto__',
    });
    expect(checkJsonKeys('text')).toBeUndefined();
    expect(checkJsonKeys(null)).toBeUndefined();
    expect(checkJsonKeys({ a: [{ b: [1, 'x', null] }] })).toBeUndefined();
    expect(checkJsonKeys({ a: { b: {} } }, 2)).toEqual({ kind: 'too_deep', path: 'a.b', maxDepth: 2 });
  });

  it('walks a wide body quickly', () => {
    const wide = { items: Array.from({ length: 50_000 }, (_, i) => ({ i, tags: ['a', 'b'] })) };
    const started = performance.now();
    expect(checkJsonKeys(wide)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('radicado', () => {
  it('formats with six digits at least and parses back', () => {
    expect(formatRadicado('MINTIC', 2026, 7)).toBe('MINTIC-2026-000007');
    expect(formatRadicado('MINTIC', 2026, 1_234_567)).toBe('MINTIC-2026-1234567');
    expect(parseRadicado('SUPERSALUD-2027-000123')).toEqual({ entityId: 'SUPERSALUD', year: 2027, seq: 123 });
    expect(parseRadicado('mintic-2026-1')).toBeUndefined();
    expect(() => formatRadicado('MINTIC', 2026, 0)).toThrow();
  });
});

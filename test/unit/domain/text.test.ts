import { describe, expect, it } from 'vitest';
import { formatRadicado, parseRadicado } from '#domain/case/radicado.ts';
import { canonicalJson, findForbiddenKey } from '#domain/text.ts';

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

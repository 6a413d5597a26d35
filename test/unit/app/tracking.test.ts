import { describe, expect, it } from 'vitest';
import { hashTrackingCode, newTrackingCode, seal, trackingCodeMatches, unseal } from '#app/tracking.ts';

describe('tracking codes', () => {
  it('are 20 base32 symbols in groups of five, distinct each time', () => {
    const code = newTrackingCode();
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){3}$/);
    expect(newTrackingCode()).not.toBe(code);
  });

  it('match through the stored hash, forgiving case, dashes and look-alike letters', () => {
    const code = '0ABCD-EFGH1-JKMNP-QRSTV';
    const stored = hashTrackingCode(code);
    expect(trackingCodeMatches('oabcd efgh1 jkmnp qrstv', stored)).toBe(true);
    expect(trackingCodeMatches('0ABCD-EFGHL-JKMNP-QRSTV', stored)).toBe(true);
    expect(trackingCodeMatches('0ABCD-EFGH1-JKMNP-QRSTW', stored)).toBe(false);
    expect(stored).not.toContain('ABCD');
  });

  it('seal only opens with the same scope and key', () => {
    const sealed = seal('http', 'key-1', 'secret');
    expect(sealed).not.toContain('secret');
    expect(unseal('http', 'key-1', sealed)).toBe('secret');
    expect(() => unseal('http', 'key-2', sealed)).toThrow();
  });
});

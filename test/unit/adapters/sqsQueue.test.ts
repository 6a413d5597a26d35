import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { messageBody } from '#adapters/sqs/queue.ts';

/** What SQS takes in a body (its documented set), and what fauxqs takes (the BMP part only). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: tab, line feed and carriage return are in the set
const SQS_VALID = /^[\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the emulator's own pattern, as it is
const FAUXQS_INVALID = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD]/;

describe('messageBody', () => {
  it('escapes emoji and noncharacters, and parses back to the same value', () => {
    const value = { text: 'Apoyo 👍🏽 𝒳 \uFFFE\uFFFF fin', n: 1 };
    const body = messageBody(value);
    expect(body).toBe(
      '{"text":"Apoyo \\ud83d\\udc4d\\ud83c\\udffd \\ud835\\udcb3 \\ufffe\\uffff fin","n":1}',
    );
    expect(JSON.parse(body)).toEqual(value);
  });

  it('property: any string gives a body both SQS and its emulator accept, read back as it was', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), (a, b) => {
        const body = messageBody({ a, b });
        expect(body).toMatch(SQS_VALID);
        expect(FAUXQS_INVALID.test(body)).toBe(false);
        expect(JSON.parse(body)).toEqual({ a, b });
      }),
      { numRuns: 200 },
    );
  });

  it('keeps the largest comment (50,000 UTF-16 units of emoji) under the 1 MiB queues take', () => {
    expect(Buffer.byteLength(messageBody({ text: '😀'.repeat(25_000) }))).toBeLessThan(310_000);
  });
});

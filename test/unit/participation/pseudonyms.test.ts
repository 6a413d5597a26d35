/**
 * The hashes that stand for citizens and devices are keyed (HMAC-SHA-256 with the service's
 * secret): holding a stored hash and guessing the subject or device key is not enough to confirm it.
 */
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { citizenHash } from '#domain/actor.ts';
import { authorHash } from '#domain/participation/comment.ts';
import { keyedHash } from '#domain/text.ts';

const KEY = '{"kty":"OKP","crv":"Ed25519","d":"service-secret"}';
const citizen = { issuer: 'https://id.example.gov.co', subject: '1032456789' };
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('keyed hashes', () => {
  it('are HMAC-SHA-256 hex of the text under the key, and need a key', () => {
    expect(keyedHash(KEY, 'abc')).toBe(createHmac('sha256', KEY).update('abc').digest('hex'));
    expect(keyedHash(KEY, 'abc')).toMatch(/^[0-9a-f]{64}$/);
    expect(keyedHash(`${KEY} `, 'abc')).not.toBe(keyedHash(KEY, 'abc'));
    expect(() => keyedHash('', 'abc')).toThrow(RangeError);
  });

  it('a citizen: stable per scope, different across scopes and keys, not the plain SHA-256 of a guess', () => {
    const h = citizenHash(KEY, 'proposal:MINTIC-P-7K2M9Q4X', citizen);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(citizenHash(KEY, 'proposal:MINTIC-P-7K2M9Q4X', { ...citizen })).toBe(h);
    expect(citizenHash(KEY, 'proposal:MINTIC-P-00000000', citizen)).not.toBe(h);
    expect(citizenHash(KEY, 'proposal:MINTIC-P-7K2M9Q4X', { ...citizen, subject: '1032456780' })).not.toBe(h);
    expect(citizenHash('another-secret', 'proposal:MINTIC-P-7K2M9Q4X', citizen)).not.toBe(h);
    // What anyone could compute from a guessed subject without the key (the former scheme).
    const guess = `citizen\nproposal:MINTIC-P-7K2M9Q4X\n${citizen.issuer}\n${citizen.subject}`;
    expect(h).not.toBe(sha256(guess));
    expect(h).toBe(keyedHash(KEY, guess));
  });

  it('a device: stable per consultation, different across consultations and keys', () => {
    const h = authorHash(KEY, 'device', 'MINTIC-C-7K2M9Q4X', 'device-key-0123456789');
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(authorHash(KEY, 'device', 'MINTIC-C-7K2M9Q4X', 'device-key-0123456789')).toBe(h);
    expect(authorHash(KEY, 'device', 'MINTIC-C-00000000', 'device-key-0123456789')).not.toBe(h);
    expect(authorHash(KEY, 'device', 'MINTIC-C-7K2M9Q4X', 'device-key-0123456780')).not.toBe(h);
    expect(authorHash('another-secret', 'device', 'MINTIC-C-7K2M9Q4X', 'device-key-0123456789')).not.toBe(h);
    expect(h).not.toBe(sha256('device\nMINTIC-C-7K2M9Q4X\ndevice-key-0123456789'));
  });
});

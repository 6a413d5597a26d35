/**
 * Tracking codes (the citizen's secret to follow a case) and the sealing of idempotent responses.
 * A tracking code is shown once and stored only as a SHA-256 hash; the copy an idempotent replay
 * needs is sealed (AES-256-GCM) with a key derived from the caller's Idempotency-Key, which is
 * itself stored only as a hash: a reader of the table can recover neither.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { sha256Hex } from '#domain/text.ts';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32: no I, L, O, U

/** 20 symbols of base32 (100 bits), grouped by five: `7KQ2M-9XD4T-…`. */
export function newTrackingCode(): string {
  const bytes = randomBytes(20);
  let out = '';
  for (let i = 0; i < 20; i++) {
    out += ALPHABET[bytes[i]! & 31];
    if (i % 5 === 4 && i < 19) out += '-';
  }
  return out;
}

export function normalizeTrackingCode(code: string): string {
  return code
    .toUpperCase()
    .replace(/[^0-9A-Z]/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');
}

export function hashTrackingCode(code: string): string {
  return sha256Hex(`urna-tracking:${normalizeTrackingCode(code)}`);
}

export function trackingCodeMatches(code: string, storedHash: string): boolean {
  const a = Buffer.from(hashTrackingCode(code), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function hashIdempotencyKey(scope: string, key: string): string {
  return sha256Hex(`urna-idempotency:${scope}:${key}`);
}

/**
 * A channel filing's tracking code, sealed for the filing notice: a filing that arrives through
 * intake has no caller to show the code to, so the notice carries it. Sealed with a secret derived
 * from the pseudonym key's current version (docs/adr/0016-keys-in-kms.md), never stored in clear;
 * unsealed with whichever version's secret opens it (AES-GCM refuses the others), so a code sealed
 * just before a key rotation still reaches its notice.
 */
export const sealForNotice = (secret: string, code: string): string =>
  seal('urna-tracking-notice', secret, code);
export function unsealForNotice(secrets: readonly string[], sealed: string): string {
  let failure: unknown = new Error('no secret to unseal the tracking code');
  for (const secret of secrets) {
    try {
      return unseal('urna-tracking-notice', secret, sealed);
    } catch (error) {
      failure = error;
    }
  }
  throw failure;
}

function sealKey(scope: string, key: string): Buffer {
  return Buffer.from(hkdfSync('sha256', key, scope, 'urna-idempotent-response', 32));
}

export function seal(scope: string, key: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealKey(scope, key), iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

export function unseal(scope: string, key: string, sealed: string): string {
  const raw = Buffer.from(sealed, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', sealKey(scope, key), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}

import { generateKeyPairSync } from 'node:crypto';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { Ed25519ReceiptSigner, RECEIPT_TYPE } from '#adapters/receipts/ed25519Signer.ts';

const jwk = () => JSON.stringify(generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }));
const at = () => new Date('2026-11-23T15:00:00Z');

describe('Ed25519 receipts', () => {
  it('signs compact JWS that jose verifies against the published JWKS', async () => {
    const signer = await Ed25519ReceiptSigner.fromJwk(jwk(), at);
    const jws = await signer.sign({ radicado: 'MINTIC-2026-000001', dueDate: '2026-12-15' });
    const { payload, protectedHeader } = await jwtVerify(jws, createLocalJWKSet(signer.jwks() as never), {
      issuer: 'urna',
      typ: RECEIPT_TYPE,
    });
    expect(protectedHeader).toMatchObject({ alg: 'EdDSA', kid: signer.jwks().keys[0]!.kid });
    expect(payload).toMatchObject({
      radicado: 'MINTIC-2026-000001',
      iat: Date.parse('2026-11-23T15:00:00Z') / 1000,
    });
    expect(await signer.verify(jws)).toMatchObject({ radicado: 'MINTIC-2026-000001' });
  });

  it('is deterministic, and refuses tampering, another key, alg none and junk', async () => {
    const signer = await Ed25519ReceiptSigner.fromJwk(jwk(), at);
    const other = await Ed25519ReceiptSigner.fromJwk(jwk(), at);
    const jws = await signer.sign({ a: 1 });
    expect(await signer.sign({ a: 1 })).toBe(jws);
    const [h, , s] = jws.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ a: 2, iss: 'urna', iat: 1 })).toString('base64url')}.${s}`;
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: RECEIPT_TYPE })).toString('base64url')}.${jws.split('.')[1]}.`;
    for (const bad of [forged, none, await other.sign({ a: 1 }), 'x.y', '', 'a.b.c']) {
      expect(await signer.verify(bad)).toBeUndefined();
    }
  });

  it('publishes only the public key, with an RFC 7638 thumbprint kid', async () => {
    const signer = await Ed25519ReceiptSigner.fromJwk(jwk());
    const [key] = signer.jwks().keys;
    expect(Object.keys(key!).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x']);
    expect(String(key!.kid)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('refuses a key that is not an Ed25519 private JWK', async () => {
    await expect(Ed25519ReceiptSigner.fromJwk('{"kty":"RSA"}')).rejects.toThrow(/Ed25519 private JWK/);
  });
});

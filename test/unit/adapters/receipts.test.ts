import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { GetPublicKeyCommand, type KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { Ed25519ReceiptSigner, RECEIPT_TYPE } from '#adapters/receipts/ed25519Signer.ts';
import { KmsReceiptSigner } from '#adapters/receipts/kmsSigner.ts';

const pair = () => generateKeyPairSync('ed25519');
const jwkOf = (key: KeyObject) => JSON.stringify(key.export({ format: 'jwk' }));
const jwk = () => jwkOf(pair().privateKey);
const at = () => new Date('2026-11-23T15:00:00Z');

describe('Ed25519 receipts', () => {
  it('signs compact JWS that jose verifies against the published JWKS', async () => {
    const signer = await Ed25519ReceiptSigner.fromJwk(jwk(), at);
    const jws = await signer.sign({ radicado: 'MINTIC-2026-000001', dueDate: '2026-12-15' });
    const jwks = await signer.jwks();
    const { payload, protectedHeader } = await jwtVerify(jws, createLocalJWKSet(jwks as never), {
      issuer: 'urna',
      typ: RECEIPT_TYPE,
    });
    expect(protectedHeader).toMatchObject({ alg: 'EdDSA', kid: jwks.keys[0]!.kid });
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
    const [key] = (await signer.jwks()).keys;
    expect(Object.keys(key!).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x']);
    expect(String(key!.kid)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('after a rotation signs with the new key and still verifies receipts of the retired one', async () => {
    const old = jwk();
    const before = await Ed25519ReceiptSigner.fromJwk(old, at);
    const issued = await before.sign({ radicado: 'MINTIC-2026-000001' });
    const after = await Ed25519ReceiptSigner.fromJwk(jwk(), at, [old]);
    const [current, retired] = (await after.jwks()).keys;
    expect(retired).toEqual((await before.jwks()).keys[0]);
    expect(current!.kid).not.toBe(retired!.kid);
    expect(
      JSON.parse(Buffer.from(String((await after.sign({})).split('.')[0]), 'base64url').toString()),
    ).toEqual({
      alg: 'EdDSA',
      kid: current!.kid,
      typ: RECEIPT_TYPE,
    });
    expect(await after.verify(issued)).toMatchObject({ radicado: 'MINTIC-2026-000001' });
    // Retired, not forgotten: a key no longer published no longer verifies.
    expect(await (await Ed25519ReceiptSigner.fromJwk(jwk(), at)).verify(issued)).toBeUndefined();
    expect(JSON.stringify(await after.jwks())).not.toContain('"d"');
  });

  it('refuses a key that is not an Ed25519 private JWK, and a retired one that is not Ed25519', async () => {
    await expect(Ed25519ReceiptSigner.fromJwk('{"kty":"RSA"}')).rejects.toThrow(/Ed25519 JWK/);
    const publicOnly = jwkOf(pair().publicKey);
    await expect(Ed25519ReceiptSigner.fromJwk(publicOnly)).rejects.toThrow(/private JWK/);
    await expect(Ed25519ReceiptSigner.fromJwk(jwk(), at, ['{"kty":"RSA"}'])).rejects.toThrow(/retired/);
  });
});

/**
 * A KMS with Ed25519 keys (ECC_NIST_EDWARDS25519): Sign (ED25519_SHA_512 over a RAW message) and
 * GetPublicKey (SPKI DER), as the service answers; every command recorded.
 */
function fakeKms(keys: Record<string, { privateKey: KeyObject; publicKey: KeyObject }>) {
  const calls: { command: string; KeyId?: string | undefined }[] = [];
  const arn = (id: string) => `arn:aws:kms:us-east-1:123456789012:key/${id.replace(/^alias\//, '')}`;
  const byId = (id: string | undefined) =>
    Object.entries(keys).find(([alias]) => id === alias || id === arn(alias))?.[1];
  const client = {
    async send(command: unknown) {
      if (command instanceof SignCommand) {
        const { KeyId, Message, MessageType, SigningAlgorithm } = command.input;
        calls.push({ command: 'Sign', KeyId });
        const key = byId(KeyId);
        if (!key || MessageType !== 'RAW' || SigningAlgorithm !== 'ED25519_SHA_512' || !Message) {
          throw new Error('InvalidKeyUsageException');
        }
        return { KeyId, Signature: new Uint8Array(sign(null, Buffer.from(Message), key.privateKey)) };
      }
      if (command instanceof GetPublicKeyCommand) {
        const { KeyId } = command.input;
        calls.push({ command: 'GetPublicKey', KeyId });
        const key = byId(KeyId);
        if (!key) throw new Error('NotFoundException');
        return {
          KeyId: arn(KeyId!),
          KeySpec: 'ECC_NIST_EDWARDS25519',
          KeyUsage: 'SIGN_VERIFY',
          PublicKey: new Uint8Array(key.publicKey.export({ format: 'der', type: 'spki' })),
          SigningAlgorithms: ['ED25519_SHA_512', 'ED25519_PH_SHA_512'],
        };
      }
      throw new Error('unexpected command');
    },
  };
  return { client: client as unknown as Pick<KMSClient, 'send'>, calls };
}

describe('KMS receipts', () => {
  it('signs in KMS receipts that verify with the file-key signer of the same key, kid from GetPublicKey', async () => {
    const key = pair();
    const kms = fakeKms({ 'alias/receipts-v1': key });
    const signer = KmsReceiptSigner.create(kms.client, { keyId: 'alias/receipts-v1' }, at);
    const local = await Ed25519ReceiptSigner.fromJwk(jwkOf(key.privateKey), at);
    const jws = await signer.sign({ radicado: 'MINTIC-2026-000001' });
    expect(jws).toBe(await local.sign({ radicado: 'MINTIC-2026-000001' }));
    expect(await signer.jwks()).toEqual(await local.jwks());
    expect(await signer.verify(jws)).toMatchObject({ radicado: 'MINTIC-2026-000001' });
    // The signature is KMS's: by the key's ARN, the one whose kid the header names.
    expect(kms.calls.filter((c) => c.command === 'Sign')).toEqual([
      { command: 'Sign', KeyId: 'arn:aws:kms:us-east-1:123456789012:key/receipts-v1' },
    ]);
  });

  it('fetches each public key once, when first needed, and publishes the retired keys too', async () => {
    const [v1, v2] = [pair(), pair()];
    const kms = fakeKms({ 'alias/v1': v1, 'alias/v2': v2 });
    const before = KmsReceiptSigner.create(kms.client, { keyId: 'alias/v1' }, at);
    const issued = await before.sign({ radicado: 'MINTIC-2026-000001' });
    kms.calls.length = 0;
    const after = KmsReceiptSigner.create(kms.client, { keyId: 'alias/v2', retiredKeyIds: ['alias/v1'] }, at);
    expect(kms.calls).toEqual([]);
    for (let i = 0; i < 3; i++) {
      await after.sign({ i });
      expect(await after.verify(issued)).toMatchObject({ radicado: 'MINTIC-2026-000001' });
    }
    const keys = (await after.jwks()).keys;
    expect(keys.map((k) => k.x)).toEqual([
      v2.publicKey.export({ format: 'jwk' }).x,
      v1.publicKey.export({ format: 'jwk' }).x,
    ]);
    expect(kms.calls.filter((c) => c.command === 'GetPublicKey').map((c) => c.KeyId)).toEqual([
      'alias/v2',
      'alias/v1',
    ]);
    expect(kms.calls.filter((c) => c.command === 'Sign')).toHaveLength(3);
  });

  it('refuses a KMS key that is not Ed25519, and tries again after KMS failed', async () => {
    const wrong = {
      async send() {
        return { KeySpec: 'ECC_NIST_P256', PublicKey: new Uint8Array(8) };
      },
    } as unknown as Pick<KMSClient, 'send'>;
    await expect(KmsReceiptSigner.create(wrong, { keyId: 'k' }).sign({})).rejects.toThrow(
      /ECC_NIST_EDWARDS25519/,
    );
    let failures = 1;
    const key = pair();
    const flaky = fakeKms({ k: key });
    const once = {
      send: (command: unknown) =>
        failures-- > 0 ? Promise.reject(new Error('throttled')) : flaky.client.send(command as never),
    } as unknown as Pick<KMSClient, 'send'>;
    const signer = KmsReceiptSigner.create(once, { keyId: 'k' }, at);
    await expect(signer.jwks()).rejects.toThrow(/throttled/);
    expect((await signer.jwks()).keys).toHaveLength(1);
  });
});

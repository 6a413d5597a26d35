/**
 * The hashes that stand for citizens and devices are pseudonyms (HMAC-SHA-256 under a versioned
 * pseudonym key): holding a stored hash and guessing the subject or device key is not enough to
 * confirm it, and a key rotation keeps one support per citizen. docs/adr/0016-keys-in-kms.md
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { GenerateMacCommand, type KMSClient } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import {
  deriveNoticeSecrets,
  derivePseudonyms,
  fileMac,
  KeyedPseudonyms,
  NOTICE_SEAL_LABEL,
  PSEUDONYM_LABEL,
} from '#adapters/pseudonyms/derived.ts';
import { kmsMac } from '#adapters/pseudonyms/kmsMac.ts';
import { sealForNotice, unsealForNotice } from '#app/tracking.ts';
import { citizenPseudonymText } from '#domain/actor.ts';
import { devicePseudonymText } from '#domain/participation/comment.ts';

const key = () => randomBytes(32).toString('base64url');
const citizen = { issuer: 'https://id.example.gov.co', subject: '1032456789' };
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const hmac = (k: Uint8Array, text: string) => createHmac('sha256', k).update(text).digest();

async function local(...keys: string[]) {
  const { versions, mac } = fileMac(keys);
  return derivePseudonyms(versions, mac);
}

describe('what a pseudonym is made of', () => {
  it('names the scope, and the issuer and subject or the device key', () => {
    expect(citizenPseudonymText('proposal:MINTIC-P-7K2M9Q4X', citizen)).toBe(
      'citizen\nproposal:MINTIC-P-7K2M9Q4X\nhttps://id.example.gov.co\n1032456789',
    );
    expect(devicePseudonymText('MINTIC-C-7K2M9Q4X', 'device-key')).toBe(
      'device\nMINTIC-C-7K2M9Q4X\ndevice-key',
    );
  });
});

describe('pseudonyms under file keys (the local adapter)', () => {
  it('hash with the working key derived from the root key and the version label', async () => {
    const root = key();
    const p = await local(root);
    const working = hmac(Buffer.from(root, 'base64url'), PSEUDONYM_LABEL(1));
    expect(PSEUDONYM_LABEL(1)).toBe('urna pseudonym key v1');
    expect(p.current('abc')).toEqual({ hash: hmac(working, 'abc').toString('hex'), keyVersion: 1 });
    expect(p.every('abc')).toEqual([p.current('abc')]);
  });

  it('are stable, scoped and keyed: a guess cannot be confirmed without the key', async () => {
    const root = key();
    const [p, again, other] = await Promise.all([local(root), local(root), local(key())]);
    const text = citizenPseudonymText('proposal:MINTIC-P-7K2M9Q4X', citizen);
    const h = p.current(text).hash;
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(again.current(text).hash).toBe(h);
    expect(p.current(citizenPseudonymText('proposal:MINTIC-P-00000000', citizen)).hash).not.toBe(h);
    expect(other.current(text).hash).not.toBe(h);
    expect(h).not.toBe(sha256(text));
  });

  it('after a rotation hash under the new version, and give every version newest first', async () => {
    const [v1, v2] = [key(), key()];
    const before = await local(v1);
    const after = await local(v1, v2);
    const current = after.current('abc');
    expect(current.keyVersion).toBe(2);
    expect(current.hash).not.toBe(before.current('abc').hash);
    expect(after.every('abc')).toEqual([current, { ...before.current('abc'), keyVersion: 1 }]);
  });

  it('refuse no key, and a key shorter than 32 bytes', () => {
    expect(() => fileMac([])).toThrow(/at least one/);
    expect(() => fileMac([randomBytes(16).toString('base64url')])).toThrow(/32 bytes/);
    expect(() => new KeyedPseudonyms([])).toThrow(/at least one/);
  });
});

describe('notice sealing secrets', () => {
  it('derive under their own label, and a code sealed before a rotation unseals after it', async () => {
    const [v1, v2] = [key(), key()];
    const one = fileMac([v1]);
    const two = fileMac([v1, v2]);
    const [before] = await deriveNoticeSecrets(one.versions, one.mac);
    const after = await deriveNoticeSecrets(two.versions, two.mac);
    expect(NOTICE_SEAL_LABEL(1)).not.toBe(PSEUDONYM_LABEL(1));
    expect(after).toHaveLength(2);
    expect(after[1]).toBe(before);
    const sealed = sealForNotice(before!, 'ABCDE-FGHJK');
    expect(unsealForNotice(after, sealed)).toBe('ABCDE-FGHJK');
    expect(unsealForNotice(after, sealForNotice(after[0]!, 'KMNPQ-RSTVW'))).toBe('KMNPQ-RSTVW');
    expect(() => unsealForNotice([after[0]!], sealed)).toThrow();
  });
});

/** A KMS that answers GenerateMac (HMAC_SHA_256) with its HMAC keys, and records the calls. */
function fakeKms(keys: Record<string, Buffer>) {
  const calls: GenerateMacCommand['input'][] = [];
  const client = {
    async send(command: unknown) {
      if (!(command instanceof GenerateMacCommand)) throw new Error('unexpected command');
      const input = command.input;
      calls.push(input);
      const k = keys[input.KeyId ?? ''];
      if (!k || input.MacAlgorithm !== 'HMAC_SHA_256' || !input.Message) throw new Error('NotFoundException');
      return { Mac: hmac(k, Buffer.from(input.Message).toString('utf8')), KeyId: input.KeyId };
    },
  };
  return { client: client as unknown as Pick<KMSClient, 'send'>, calls };
}

describe('pseudonyms under KMS HMAC keys', () => {
  it('ask KMS once per version for the working key, then hash locally like the file keys', async () => {
    const roots = { 'alias/v1': randomBytes(32), 'alias/v2': randomBytes(32) };
    const kms = fakeKms(roots);
    const { versions, mac } = kmsMac(kms.client, ['alias/v1', 'alias/v2']);
    const p = await derivePseudonyms(versions, mac);
    const files = await local(
      roots['alias/v1'].toString('base64url'),
      roots['alias/v2'].toString('base64url'),
    );
    expect(kms.calls.map((c) => [c.KeyId, c.MacAlgorithm, Buffer.from(c.Message!).toString()])).toEqual([
      ['alias/v1', 'HMAC_SHA_256', 'urna pseudonym key v1'],
      ['alias/v2', 'HMAC_SHA_256', 'urna pseudonym key v2'],
    ]);
    for (let i = 0; i < 100; i++) p.every(`text ${i}`);
    expect(kms.calls).toHaveLength(2);
    expect(p.every('abc')).toEqual(files.every('abc'));
  });

  it('fail the cold start when a key cannot be used, and need a key', async () => {
    const { versions, mac } = kmsMac(fakeKms({}).client, ['alias/unknown']);
    await expect(derivePseudonyms(versions, mac)).rejects.toThrow(/NotFound/);
    expect(() => kmsMac(fakeKms({}).client, [])).toThrow(/at least one/);
  });
});

/** The local runtime's file keys (infra/local/keys.ts): kept in the data folder, rotated by adding one. */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Ed25519ReceiptSigner } from '#adapters/receipts/ed25519Signer.ts';
import { KEYS_ENV } from '#infra/catalog.ts';
import { generatePseudonymKey, generateReceiptSigningKey, keysEnv, localKeys } from '#infra/local/keys.ts';
import { systemPseudonyms } from '#test/support/fakes/index.ts';

const dirs: string[] = [];
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'urna-keys-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('local keys', () => {
  it('are made at the first start, kept owner-only in the data folder, and the same at the next', async () => {
    const dir = dataDir();
    const first = localKeys(dir);
    const again = localKeys(dir);
    expect(again).toEqual(first);
    expect(first.pseudonymKeys).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.parse(first.receiptSigningKey)).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
    for (const file of ['receipt-signing-key.jwk.json', 'pseudonym-keys.txt']) {
      expect(statSync(join(dir, file)).mode & 0o077).toBe(0);
    }
    expect(localKeys(undefined)).not.toEqual(localKeys(undefined));
  });

  it('rotate the pseudonyms by a new line, and publish retired receipt keys from their file', async () => {
    const dir = dataDir();
    const before = localKeys(dir);
    appendFileSync(join(dir, 'pseudonym-keys.txt'), `${generatePseudonymKey()}\n`);
    // The receipt key rotated: the current one moved to the retired ones, a new one made.
    writeFileSync(
      join(dir, 'receipt-retired-keys.json'),
      JSON.stringify([JSON.parse(before.receiptSigningKey)]),
    );
    writeFileSync(join(dir, 'receipt-signing-key.jwk.json'), generateReceiptSigningKey());
    const after = localKeys(dir);
    const env = keysEnv(after);

    const [old, rotated] = await Promise.all([systemPseudonyms(keysEnv(before)), systemPseudonyms(env)]);
    expect(rotated.current('x').keyVersion).toBe(2);
    expect(rotated.every('x')[1]).toEqual(old.current('x'));
    expect(env[KEYS_ENV.retiredReceiptKeys]).toBe(
      readFileSync(join(dir, 'receipt-retired-keys.json'), 'utf8'),
    );
    const retired = JSON.parse(env[KEYS_ENV.retiredReceiptKeys]!) as unknown[];
    const signer = await Ed25519ReceiptSigner.fromJwk(
      env[KEYS_ENV.receiptKey]!,
      undefined,
      retired.map((k) => JSON.stringify(k)),
    );
    const issued = await (await Ed25519ReceiptSigner.fromJwk(before.receiptSigningKey)).sign({ a: 1 });
    expect((await signer.jwks()).keys).toHaveLength(2);
    expect(await signer.verify(issued)).toMatchObject({ a: 1 });
  });

  it('take the keys given instead', () => {
    const given = { receiptSigningKey: '{"kty":"OKP"}', pseudonymKeys: 'a,b' };
    expect(localKeys(dataDir(), given)).toEqual(given);
  });
});

/**
 * The local runtime's keys: the same ports as on AWS, with file keys instead of KMS keys
 * (docs/adr/0016-keys-in-kms.md). With a data folder they are kept there, so receipts keep
 * verifying and pseudonyms keep matching across restarts:
 *   receipt-signing-key.jwk.json   the current Ed25519 private JWK (made at the first start)
 *   receipt-retired-keys.json      optional: a JSON array of retired JWKs, still published
 *   pseudonym-keys.txt             one base64url key per line, version 1 first, the current one last
 * A rotation is a new line in pseudonym-keys.txt, or the current JWK moved to the retired ones.
 * Without a data folder they are made fresh in memory.
 */
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KEYS_ENV } from '../catalog.ts';

export interface LocalKeys {
  /** The current Ed25519 private JWK (JSON). */
  receiptSigningKey: string;
  /** Retired JWKs (a JSON array), when there are any. */
  retiredReceiptKeys?: string;
  /** Pseudonym keys (base64url, comma-separated), version 1 first. */
  pseudonymKeys: string;
}

/** A fresh Ed25519 private JWK (JSON), with its RFC 7638 thumbprint as kid. */
export function generateReceiptSigningKey(): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' });
  const thumbprintInput = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x });
  const kid = createHash('sha256').update(thumbprintInput).digest('base64url');
  return JSON.stringify({ ...jwk, kid, alg: 'EdDSA', use: 'sig' });
}

/** A fresh pseudonym key: 32 random bytes, base64url. */
export const generatePseudonymKey = (): string => randomBytes(32).toString('base64url');

/** The file's content, made by `make` and kept (owner-only) when it does not exist yet. */
function kept(dataDir: string, name: string, make: () => string): string {
  const file = join(dataDir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const value = make();
  writeFileSync(file, `${value}\n`, { mode: 0o600 });
  return value;
}

/** The keys of this run: those given, else those kept in `dataDir`, else fresh ones. */
export function localKeys(
  dataDir: string | undefined,
  given: { receiptSigningKey?: string | undefined; pseudonymKeys?: string | undefined } = {},
): LocalKeys {
  const receiptSigningKey =
    given.receiptSigningKey ??
    (dataDir
      ? kept(dataDir, 'receipt-signing-key.jwk.json', generateReceiptSigningKey)
      : generateReceiptSigningKey());
  const pseudonymKeys =
    given.pseudonymKeys ??
    (dataDir
      ? kept(dataDir, 'pseudonym-keys.txt', generatePseudonymKey)
          .split('\n')
          .map((line) => line.trim())
          .filter((line) => line !== '')
          .join(',')
      : generatePseudonymKey());
  const retiredFile = dataDir && join(dataDir, 'receipt-retired-keys.json');
  const retired =
    retiredFile && existsSync(retiredFile) ? readFileSync(retiredFile, 'utf8').trim() : undefined;
  return { receiptSigningKey, pseudonymKeys, ...(retired ? { retiredReceiptKeys: retired } : {}) };
}

/** The handlers' environment for these keys (the names the functions read on AWS are KMS ids instead). */
export function keysEnv(keys: LocalKeys): Record<string, string> {
  return {
    [KEYS_ENV.receiptKey]: keys.receiptSigningKey,
    [KEYS_ENV.pseudonymKeys]: keys.pseudonymKeys,
    ...(keys.retiredReceiptKeys !== undefined
      ? { [KEYS_ENV.retiredReceiptKeys]: keys.retiredReceiptKeys }
      : {}),
  };
}

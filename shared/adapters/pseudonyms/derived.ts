/**
 * Pseudonyms under versioned keys. Each version's root key is a KMS HMAC key on AWS (kmsMac.ts) or
 * a file key locally (fileMac): either way the root key is asked once per cold start for one MAC
 * over a fixed label (`urna pseudonym key v<n>`), and that working key hashes locally, so the hot
 * path stays synchronous and makes no KMS call. Another label derives the notice codes' sealing
 * secret from the same root, so no function needs a private key for it.
 * Why: docs/adr/0016-keys-in-kms.md
 */
import { createHmac } from 'node:crypto';
import type { Pseudonym, Pseudonyms } from '#ports/pseudonyms.ts';

/** HMAC-SHA-256 of `label` under version `version`'s root key. */
export type RootMac = (version: number, label: string) => Promise<Uint8Array>;

export const PSEUDONYM_LABEL = (version: number) => `urna pseudonym key v${version}`;
export const NOTICE_SEAL_LABEL = (version: number) => `urna notice seal v${version}`;

export class KeyedPseudonyms implements Pseudonyms {
  private readonly newestFirst: readonly { version: number; key: Buffer }[];

  /** `keys`: each version's working key, version 1 first, the current one last. */
  constructor(keys: readonly Uint8Array[]) {
    if (keys.length === 0) throw new Error('pseudonyms need at least one key version');
    this.newestFirst = keys.map((key, i) => ({ version: i + 1, key: Buffer.from(key) })).reverse();
  }

  current(text: string): Pseudonym {
    return this.hash(this.newestFirst[0]!, text);
  }

  every(text: string): Pseudonym[] {
    return this.newestFirst.map((k) => this.hash(k, text));
  }

  private hash(k: { version: number; key: Buffer }, text: string): Pseudonym {
    return { hash: createHmac('sha256', k.key).update(text, 'utf8').digest('hex'), keyVersion: k.version };
  }
}

const versionsOf = (count: number) => Array.from({ length: count }, (_, i) => i + 1);

/** The pseudonyms of `versions` key versions (one root MAC each, concurrently). */
export async function derivePseudonyms(versions: number, mac: RootMac): Promise<KeyedPseudonyms> {
  return new KeyedPseudonyms(await Promise.all(versionsOf(versions).map((v) => mac(v, PSEUDONYM_LABEL(v)))));
}

/** The secrets that seal notice codes (tracking.ts), the current version's first. */
export async function deriveNoticeSecrets(versions: number, mac: RootMac): Promise<string[]> {
  const secrets = await Promise.all(versionsOf(versions).map((v) => mac(v, NOTICE_SEAL_LABEL(v))));
  return secrets.map((s) => Buffer.from(s).toString('base64url')).reverse();
}

/**
 * File keys as root keys (the local runtime and tests): base64url, at least 32 bytes each,
 * version 1 first. The same derivation as KMS's GenerateMac (HMAC-SHA-256 of the label).
 */
export function fileMac(keys: readonly string[]): { versions: number; mac: RootMac } {
  const roots = keys.map((k, i) => {
    const key = Buffer.from(k, 'base64url');
    if (key.length < 32) throw new Error(`pseudonym key version ${i + 1} is shorter than 32 bytes`);
    return key;
  });
  if (roots.length === 0) throw new Error('pseudonyms need at least one key version');
  return {
    versions: roots.length,
    mac: async (version, label) => {
      const root = roots[version - 1];
      if (!root) throw new Error(`no pseudonym key version ${version}`);
      return createHmac('sha256', root).update(label, 'utf8').digest();
    },
  };
}

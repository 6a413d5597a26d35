/**
 * Pseudonym root keys in KMS: one HMAC_256 key per version, asked for `GenerateMac`
 * (HMAC_SHA_256) once per label and cold start; nobody can read the key itself.
 * Why: docs/adr/0016-keys-in-kms.md
 */
import { GenerateMacCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { RootMac } from './derived.ts';

/** `keyIds`: each version's KMS key (id, ARN or alias), version 1 first, the current one last. */
export function kmsMac(
  kms: Pick<KMSClient, 'send'>,
  keyIds: readonly string[],
): { versions: number; mac: RootMac } {
  if (keyIds.length === 0) throw new Error('pseudonyms need at least one KMS key');
  return {
    versions: keyIds.length,
    mac: async (version, label) => {
      const keyId = keyIds[version - 1];
      if (keyId === undefined) throw new Error(`no pseudonym key version ${version}`);
      const out = await kms.send(
        new GenerateMacCommand({
          KeyId: keyId,
          MacAlgorithm: 'HMAC_SHA_256',
          Message: Buffer.from(label, 'utf8'),
        }),
      );
      if (out.Mac?.length !== 32)
        throw new Error(`KMS gave no HMAC_SHA_256 for pseudonym key version ${version}`);
      return out.Mac;
    },
  };
}

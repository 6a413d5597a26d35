/**
 * Receipts signed inside KMS: an ECC_NIST_EDWARDS25519 key signs the JWS input (`Sign`,
 * ED25519_SHA_512 over the RAW message, i.e. plain Ed25519, RFC 8032), so no function ever holds
 * the private key. The public keys (current and retired, from `GetPublicKey`: SPKI DER) are
 * fetched once per cold start, when first needed. Why: docs/adr/0016-keys-in-kms.md
 */
import { createPublicKey } from 'node:crypto';
import { GetPublicKeyCommand, type KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { JwsReceiptSigner, lazily, type PublishedKey, publishedKey } from './jws.ts';

/** What the adapter needs of a KMS client (a fake in tests). */
export type KmsClient = Pick<KMSClient, 'send'>;

async function publicKeyOf(kms: KmsClient, keyId: string): Promise<PublishedKey & { keyArn: string }> {
  const out = await kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
  if (out.KeySpec !== 'ECC_NIST_EDWARDS25519' || !out.PublicKey) {
    throw new Error(`the receipt key ${keyId} is not an ECC_NIST_EDWARDS25519 key (it is ${out.KeySpec})`);
  }
  const key = publishedKey(createPublicKey({ key: Buffer.from(out.PublicKey), format: 'der', type: 'spki' }));
  return { ...key, keyArn: out.KeyId ?? keyId };
}

export class KmsReceiptSigner extends JwsReceiptSigner {
  /**
   * `keyId`: the current key (id, ARN or alias); `retiredKeyIds`: earlier keys, still published.
   * `now` stamps `iat`; pass the application clock.
   */
  static create(
    kms: KmsClient,
    keys: { keyId: string; retiredKeyIds?: readonly string[] },
    now: () => Date = () => new Date(),
  ): KmsReceiptSigner {
    const current = lazily(() => publicKeyOf(kms, keys.keyId));
    const retired = lazily(() => Promise.all((keys.retiredKeyIds ?? []).map((id) => publicKeyOf(kms, id))));
    return new KmsReceiptSigner(
      {
        current,
        retired,
        sign: async (input) => {
          // The key whose kid the header names, by ARN (an alias could move in between).
          const { keyArn } = await current();
          const out = await kms.send(
            new SignCommand({
              KeyId: keyArn,
              Message: input,
              MessageType: 'RAW',
              SigningAlgorithm: 'ED25519_SHA_512',
            }),
          );
          if (out.Signature?.length !== 64) throw new Error('KMS gave no Ed25519 signature');
          return Buffer.from(out.Signature);
        },
      },
      now,
    );
  }
}

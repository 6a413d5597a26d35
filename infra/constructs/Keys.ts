import type { RemovalPolicy } from 'aws-cdk-lib';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { type FunctionSpec, KEYS_ENV } from '../catalog.ts';

export interface KeysProps {
  readonly stage: string;
  /** Per the stack's `retain`: a key that made stored pseudonyms or issued receipts outlives the stack. */
  readonly removalPolicy: RemovalPolicy;
  /**
   * Receipt signing keys, one per version: the last signs, the earlier ones are retired (their
   * public keys stay published so that the receipts they signed verify). Rotate by adding one.
   * @default 1
   */
  readonly receiptKeyVersions?: number;
  /**
   * Pseudonym keys, one HMAC key per version: the last makes new pseudonyms, every one is used to
   * find what was stored under it (one support per citizen across a rotation). Never remove one
   * while data hashed under it matters. @default 1
   */
  readonly pseudonymKeyVersions?: number;
}

/**
 * The service's keys, in KMS (docs/adr/0016-keys-in-kms.md): nobody can read a private key, and
 * each function is granted only the operation it needs — kms:Sign for the functions that sign
 * receipts, kms:GetPublicKey for those that verify them, kms:GenerateMac for those that make
 * pseudonyms. No function gets kms:Decrypt, nor any key's administration.
 */
export class Keys extends Construct {
  /** Version 1 first; the last is current. */
  readonly receiptKeys: readonly Key[];
  readonly pseudonymKeys: readonly Key[];

  constructor(scope: Construct, id: string, props: KeysProps) {
    super(scope, id);
    const versions = (n: number | undefined, what: string) => {
      const count = n ?? 1;
      if (!Number.isInteger(count) || count < 1)
        throw new Error(`${what} key versions must be ≥ 1: ${count}`);
      return Array.from({ length: count }, (_, i) => i + 1);
    };
    this.receiptKeys = versions(props.receiptKeyVersions, 'receipt').map(
      (v) =>
        new Key(this, `ReceiptKeyV${v}`, {
          alias: `alias/urna-${props.stage}-receipts-v${v}`,
          description: `Urna ${props.stage}: Ed25519 key that signs filing receipts (version ${v})`,
          keySpec: KeySpec.ECC_NIST_EDWARDS25519,
          keyUsage: KeyUsage.SIGN_VERIFY,
          removalPolicy: props.removalPolicy,
        }),
    );
    this.pseudonymKeys = versions(props.pseudonymKeyVersions, 'pseudonym').map(
      (v) =>
        new Key(this, `PseudonymKeyV${v}`, {
          alias: `alias/urna-${props.stage}-pseudonyms-v${v}`,
          description: `Urna ${props.stage}: HMAC key of the pseudonyms of citizens and devices (version ${v})`,
          keySpec: KeySpec.HMAC_256,
          keyUsage: KeyUsage.GENERATE_VERIFY_MAC,
          removalPolicy: props.removalPolicy,
        }),
    );
    for (const key of [...this.receiptKeys, ...this.pseudonymKeys]) {
      NagSuppressions.addResourceSuppressions(key, [
        {
          id: 'AwsSolutions-KMS5',
          reason:
            'KMS rotates only symmetric encryption keys. These are an Ed25519 signing key and HMAC keys: they ' +
            'rotate by version (a new key added; receipts keep verifying under the retired key, pseudonyms are ' +
            'looked up under every version), see docs/adr/0016-keys-in-kms.md.',
        },
      ]);
    }
  }

  get currentReceiptKey(): Key {
    return this.receiptKeys.at(-1) as Key;
  }

  /** The environment and the grants of a function, by what its catalog entry says it needs. */
  wire(fn: IFunction & { addEnvironment(key: string, value: string): unknown }, spec: FunctionSpec): void {
    if (spec.receipts === 'sign') {
      // GetPublicKey too: the kid in each receipt's header is the public key's thumbprint.
      fn.addEnvironment(KEYS_ENV.receiptKeyId, this.currentReceiptKey.keyArn);
      this.currentReceiptKey.grant(fn, 'kms:Sign', 'kms:GetPublicKey');
    }
    if (spec.receipts === 'verify') {
      const retired = this.receiptKeys.slice(0, -1);
      fn.addEnvironment(KEYS_ENV.receiptKeyId, this.currentReceiptKey.keyArn);
      if (retired.length > 0) {
        fn.addEnvironment(KEYS_ENV.retiredReceiptKeyIds, retired.map((k) => k.keyArn).join(','));
      }
      for (const key of this.receiptKeys) key.grant(fn, 'kms:GetPublicKey');
    }
    if (spec.pseudonyms === true) {
      fn.addEnvironment(KEYS_ENV.pseudonymKeyIds, this.pseudonymKeys.map((k) => k.keyArn).join(','));
      for (const key of this.pseudonymKeys) key.grant(fn, 'kms:GenerateMac');
    }
  }
}

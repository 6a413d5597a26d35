/** A real Ed25519 receipt signer (pure node:crypto) with a fresh key, stamping `iat` from the given clock. */
import { generateKeyPairSync } from 'node:crypto';
import { Ed25519ReceiptSigner } from '#adapters/receipts/ed25519Signer.ts';
import type { Clock } from '#ports/index.ts';

export function newSigningKey(): string {
  return JSON.stringify(generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }));
}

export function testSigner(clock: Clock, key: string = newSigningKey()): Promise<Ed25519ReceiptSigner> {
  return Ed25519ReceiptSigner.fromJwk(key, () => clock.now());
}

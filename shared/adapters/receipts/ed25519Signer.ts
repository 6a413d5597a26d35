/**
 * Receipts signed with file keys (the local runtime and tests): the current Ed25519 private JWK,
 * and the retired keys' JWKs (only their public half is used), by node:crypto — synchronous, and
 * ~10× faster than WebCrypto through jose (commit 0b8828f). On AWS the same JWS comes from KMS
 * (kmsSigner.ts). Ed25519 signatures are deterministic.
 */
import { createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { JwsReceiptSigner, publishedKey } from './jws.ts';

export { RECEIPT_ISSUER, RECEIPT_TYPE } from './jws.ts';

const OKP = (json: string, what: string) => {
  let jwk: Record<string, unknown>;
  try {
    jwk = JSON.parse(json) as Record<string, unknown>;
  } catch {
    throw new Error(`${what} is not JSON`);
  }
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') {
    throw new Error(`${what} must be an Ed25519 JWK (kty OKP, crv Ed25519, x)`);
  }
  return { x: jwk.x, d: jwk.d };
};

export class Ed25519ReceiptSigner extends JwsReceiptSigner {
  /**
   * `jwkJson`: the current private JWK. `retired`: earlier keys' JWKs (public or private), still
   * published so that the receipts they signed verify. `now` stamps `iat`; pass the application clock.
   */
  static async fromJwk(
    jwkJson: string,
    now: () => Date = () => new Date(),
    retired: readonly string[] = [],
  ): Promise<Ed25519ReceiptSigner> {
    const { x, d } = OKP(jwkJson, 'the receipt signing key');
    if (typeof d !== 'string') {
      throw new Error('the receipt signing key must be an Ed25519 private JWK (kty OKP, crv Ed25519, x, d)');
    }
    const privateKey = createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', x, d }, format: 'jwk' });
    const current = publishedKey(createPublicKey(privateKey));
    const earlier = retired.map((json) => {
      const key = OKP(json, 'a retired receipt key');
      return publishedKey(createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: key.x }, format: 'jwk' }));
    });
    return new Ed25519ReceiptSigner(
      {
        current: async () => current,
        sign: async (input) => sign(null, input, privateKey),
        retired: async () => earlier,
      },
      now,
    );
  }
}

import { calculateJwkThumbprint, exportJWK, importJWK, type JWK, jwtVerify, SignJWT } from 'jose';
import type { ReceiptSigner } from '#ports/index.ts';

const ALG = 'EdDSA';
type Key = Awaited<ReturnType<typeof importJWK>>;
export const RECEIPT_ISSUER = 'urna';
export const RECEIPT_TYPE = 'urna-receipt+jwt';

/**
 * Signs filing receipts as compact JWS (Ed25519). The private key is an OKP JWK; its public half,
 * with a thumbprint `kid`, is what `/.well-known/jwks.json` publishes.
 */
export class JoseReceiptSigner implements ReceiptSigner {
  private constructor(
    private readonly privateKey: Key,
    private readonly publicKey: Key,
    private readonly publicJwk: JWK & { kid: string },
  ) {}

  static async fromJwk(jwkJson: string): Promise<JoseReceiptSigner> {
    const jwk = JSON.parse(jwkJson) as JWK;
    if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.d !== 'string') {
      throw new Error('the receipt signing key must be an Ed25519 private JWK (kty OKP, crv Ed25519, d)');
    }
    const { d: _private, ...pub } = jwk;
    const kid = jwk.kid ?? (await calculateJwkThumbprint(pub));
    const privateKey = await importJWK({ ...jwk, alg: ALG }, ALG);
    const publicKey = await importJWK({ ...pub, alg: ALG }, ALG);
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: ALG, use: 'sig' };
    return new JoseReceiptSigner(privateKey, publicKey, publicJwk);
  }

  async sign(payload: Record<string, unknown>): Promise<string> {
    return new SignJWT(payload)
      .setProtectedHeader({ alg: ALG, kid: this.publicJwk.kid, typ: RECEIPT_TYPE })
      .setIssuer(RECEIPT_ISSUER)
      .setIssuedAt()
      .sign(this.privateKey);
  }

  async verify(jws: string): Promise<Record<string, unknown> | undefined> {
    try {
      const { payload } = await jwtVerify(jws, this.publicKey, {
        algorithms: [ALG],
        issuer: RECEIPT_ISSUER,
        typ: RECEIPT_TYPE,
      });
      return payload as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }

  jwks(): { keys: Record<string, unknown>[] } {
    return { keys: [this.publicJwk] };
  }
}

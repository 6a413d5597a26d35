/**
 * Filing receipts as compact JWS (RFC 7515) signed with Ed25519 (`alg: EdDSA`, RFC 8037), by
 * node:crypto: synchronous, and ~10× faster than WebCrypto through jose on the filing's hot path
 * (commit 0b8828f). Ed25519 signatures are deterministic. The public half of the key, with
 * its RFC 7638 thumbprint as `kid`, is what `/.well-known/jwks.json` publishes.
 */
import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import type { ReceiptSigner } from '#ports/index.ts';

const ALG = 'EdDSA';
export const RECEIPT_ISSUER = 'urna';
export const RECEIPT_TYPE = 'urna-receipt+jwt';

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

interface OkpJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  d?: string;
  kid?: string;
}

/** RFC 7638: SHA-256 over the required members in lexicographic order. */
function thumbprint(jwk: OkpJwk): string {
  return b64url(
    createHash('sha256')
      .update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x }))
      .digest(),
  );
}

export class Ed25519ReceiptSigner implements ReceiptSigner {
  private readonly kid: string;
  private readonly header: string;

  private constructor(
    private readonly privateKey: KeyObject,
    private readonly publicKey: KeyObject,
    private readonly publicJwk: OkpJwk & { kid: string },
    private readonly now: () => Date,
  ) {
    this.kid = publicJwk.kid;
    this.header = b64url(JSON.stringify({ alg: ALG, kid: this.kid, typ: RECEIPT_TYPE }));
  }

  /** `now` stamps `iat`; pass the application clock. */
  static async fromJwk(jwkJson: string, now: () => Date = () => new Date()): Promise<Ed25519ReceiptSigner> {
    const jwk = JSON.parse(jwkJson) as Partial<OkpJwk>;
    if (
      jwk.kty !== 'OKP' ||
      jwk.crv !== 'Ed25519' ||
      typeof jwk.d !== 'string' ||
      typeof jwk.x !== 'string'
    ) {
      throw new Error('the receipt signing key must be an Ed25519 private JWK (kty OKP, crv Ed25519, x, d)');
    }
    const privateKey = createPrivateKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x, d: jwk.d },
      format: 'jwk',
    });
    const publicKey = createPublicKey(privateKey);
    const pub: OkpJwk = { kty: 'OKP', crv: 'Ed25519', x: jwk.x };
    const publicJwk = { ...pub, kid: jwk.kid ?? thumbprint(pub) };
    return new Ed25519ReceiptSigner(privateKey, publicKey, publicJwk, now);
  }

  async sign(payload: Record<string, unknown>): Promise<string> {
    const claims = { ...payload, iss: RECEIPT_ISSUER, iat: Math.floor(this.now().getTime() / 1000) };
    const input = `${this.header}.${b64url(JSON.stringify(claims))}`;
    return `${input}.${b64url(sign(null, Buffer.from(input), this.privateKey))}`;
  }

  async verify(jws: string): Promise<Record<string, unknown> | undefined> {
    const parts = jws.split('.');
    if (parts.length !== 3) return undefined;
    const [header, payload, signature] = parts as [string, string, string];
    try {
      const h = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<string, unknown>;
      if (h.alg !== ALG || h.typ !== RECEIPT_TYPE || h.kid !== this.kid || Object.keys(h).length !== 3)
        return undefined;
      if (
        !verify(
          null,
          Buffer.from(`${header}.${payload}`),
          this.publicKey,
          Buffer.from(signature, 'base64url'),
        )
      ) {
        return undefined;
      }
      const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) return undefined;
      if ((claims as Record<string, unknown>).iss !== RECEIPT_ISSUER) return undefined;
      return claims as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }

  jwks(): { keys: Record<string, unknown>[] } {
    return { keys: [{ ...this.publicJwk, alg: ALG, use: 'sig' }] };
  }
}

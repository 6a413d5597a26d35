/**
 * Filing receipts as compact JWS (RFC 7515) signed with Ed25519 (`alg: EdDSA`, RFC 8037): what the
 * file-key and the KMS signers share. The JWKS publishes the current key and the retired ones, each
 * with its RFC 7638 thumbprint as `kid`; a receipt verifies under any published key, so rotating
 * the key leaves every receipt already issued verifiable. Why: docs/adr/0016-keys-in-kms.md
 */
import { createHash, createPublicKey, type KeyObject, verify } from 'node:crypto';
import type { ReceiptSigner } from '#ports/index.ts';

export const ALG = 'EdDSA';
export const RECEIPT_ISSUER = 'urna';
export const RECEIPT_TYPE = 'urna-receipt+jwt';

export const b64url = (data: Buffer | Uint8Array | string) => Buffer.from(data).toString('base64url');

export interface OkpJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
}

/** A key receipts verify under: its public JWK, thumbprint kid, and node:crypto key. */
export interface PublishedKey {
  kid: string;
  jwk: OkpJwk;
  key: KeyObject;
}

/** RFC 7638: SHA-256 over the required members in lexicographic order. */
export function thumbprint(jwk: OkpJwk): string {
  return b64url(
    createHash('sha256')
      .update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x }))
      .digest(),
  );
}

/** The published form of an Ed25519 public key (a KeyObject, e.g. from SPKI DER or a JWK). */
export function publishedKey(key: KeyObject): PublishedKey {
  const exported = key.export({ format: 'jwk' });
  if (key.asymmetricKeyType !== 'ed25519' || typeof exported.x !== 'string') {
    throw new Error('a receipt key must be an Ed25519 key');
  }
  const jwk: OkpJwk = { kty: 'OKP', crv: 'Ed25519', x: exported.x };
  return { kid: thumbprint(jwk), jwk, key: key.type === 'public' ? key : createPublicKey(key) };
}

/** Runs `make` once; a failure is not kept (the next call tries again). */
export function lazily<T>(make: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= make().catch((error: unknown) => {
      value = undefined;
      throw error;
    });
    return value;
  };
}

export interface SigningKey {
  /** The current key, published (its kid goes in every header). */
  current(): Promise<PublishedKey>;
  /** The Ed25519 signature of the JWS signing input, by the current key. */
  sign(input: Buffer): Promise<Buffer>;
  /** The retired keys, still published: receipts they signed still verify. */
  retired(): Promise<readonly PublishedKey[]>;
}

/** The kid of a receipt's protected header, when the header is exactly ours (alg, kid, typ). */
function kidOf(header: string): string | undefined {
  try {
    const h = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<string, unknown>;
    const ours =
      h.alg === ALG && h.typ === RECEIPT_TYPE && typeof h.kid === 'string' && Object.keys(h).length === 3;
    return ours ? (h.kid as string) : undefined;
  } catch {
    return undefined;
  }
}

export class JwsReceiptSigner implements ReceiptSigner {
  private readonly header: () => Promise<string>;
  private readonly published: () => Promise<ReadonlyMap<string, PublishedKey>>;

  /** `now` stamps `iat`; pass the application clock. */
  constructor(
    private readonly key: SigningKey,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.header = lazily(async () =>
      b64url(JSON.stringify({ alg: ALG, kid: (await key.current()).kid, typ: RECEIPT_TYPE })),
    );
    this.published = lazily(async () => {
      const [current, retired] = await Promise.all([key.current(), key.retired()]);
      return new Map([current, ...retired].map((k) => [k.kid, k]));
    });
  }

  async sign(payload: Record<string, unknown>): Promise<string> {
    const claims = { ...payload, iss: RECEIPT_ISSUER, iat: Math.floor(this.now().getTime() / 1000) };
    const input = `${await this.header()}.${b64url(JSON.stringify(claims))}`;
    return `${input}.${b64url(await this.key.sign(Buffer.from(input)))}`;
  }

  async verify(jws: string): Promise<Record<string, unknown> | undefined> {
    const parts = jws.split('.');
    if (parts.length !== 3) return undefined;
    const [header, payload, signature] = parts as [string, string, string];
    const kid = kidOf(header);
    // Outside the try: a key that cannot be fetched is an error, not an invalid receipt.
    const key = kid === undefined ? undefined : (await this.published()).get(kid);
    if (!key) return undefined;
    try {
      if (!verify(null, Buffer.from(`${header}.${payload}`), key.key, Buffer.from(signature, 'base64url'))) {
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

  /** The current key first, then the retired ones. */
  async jwks(): Promise<{ keys: Record<string, unknown>[] }> {
    const keys = [...(await this.published()).values()];
    return { keys: keys.map((k) => ({ ...k.jwk, kid: k.kid, alg: ALG, use: 'sig' })) };
  }
}

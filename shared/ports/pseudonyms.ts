/**
 * Pseudonyms: the keyed hashes that stand for citizens, devices and clients in stored data. Keyed
 * (HMAC-SHA-256), so nobody without the key can confirm a guess (a known subject or device key)
 * against a stored value; versioned, so the key can be rotated: each stored hash keeps the version
 * it was made under, and a lookup after a rotation also tries the earlier versions (one support
 * per citizen holds across it). Why: docs/adr/0016-keys-in-kms.md
 */

export interface Pseudonym {
  /** HMAC-SHA-256 hex. */
  hash: string;
  /** The version of the pseudonym key it was made under (1, 2, …). */
  keyVersion: number;
}

export interface Pseudonyms {
  /** The pseudonym of `text` under the current key version: what is written now. */
  current(text: string): Pseudonym;
  /** Its pseudonyms under every active version, the current one first: what may have been written. */
  every(text: string): Pseudonym[];
}

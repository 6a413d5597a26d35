/**
 * Real pseudonyms (the adapter of the local runtime and AWS) with test keys: one working key per
 * name, version 1 first, the current one last. A rotation is `testPseudonyms('v1', 'v2')`.
 */
import { createHash } from 'node:crypto';
import { derivePseudonyms, fileMac, KeyedPseudonyms } from '#adapters/pseudonyms/derived.ts';

export function testPseudonyms(...versions: string[]): KeyedPseudonyms {
  const names = versions.length > 0 ? versions : ['pseudonyms-for-tests'];
  return new KeyedPseudonyms(names.map((n) => createHash('sha256').update(n).digest()));
}

/** The pseudonyms of a local system (its PSEUDONYM_KEYS), as its functions derive them. */
export function systemPseudonyms(env: Readonly<Record<string, string>>): Promise<KeyedPseudonyms> {
  const { versions, mac } = fileMac((env.PSEUDONYM_KEYS ?? '').split(','));
  return derivePseudonyms(versions, mac);
}

/**
 * No index partition key for the whole country (issue 17): every index partition key takes an id
 * or a shard. Derived from the code: keys.ts's `keys` (no constant among them) and its declaration
 * of index partition families (INDEX_PARTITIONS), held complete against what the DynamoDB adapters
 * write and query, and a scan of those adapters for an index partition key written as a literal.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TABLE_FAMILIES } from '../../infra/catalog.ts';
import { INDEX_PARTITIONS, keys } from '../../shared/adapters/dynamodb/keys.ts';
import { allows } from '../../shared/adapters/dynamodb/tableAccess.ts';

const adapters = resolve(import.meta.dirname, '../../shared/adapters/dynamodb');
const sources = readdirSync(adapters)
  .filter((name) => name.endsWith('.ts'))
  .map((name) => ({ name, text: readFileSync(join(adapters, name), 'utf8') }));

/** An index partition key given as a literal (no `${…}` in it), written or queried. */
const LITERAL = `(?:'[^']*'|"[^"]*"|\`[^\`$]*\`)`;
const LITERAL_KEYS = [
  new RegExp(`gsi[123]pk['"]?\\s*[:=]\\s*${LITERAL}`, 'g'),
  new RegExp(`partition:\\s*${LITERAL}`, 'g'),
];
const literalKeys = (text: string) => LITERAL_KEYS.flatMap((p) => [...text.matchAll(p)].map((m) => m[0]));

type Family = { index: string; key: (...args: unknown[]) => string };
const families = Object.entries(INDEX_PARTITIONS) as [string, Family][];

/** Every `keys` member the adapters use as an index partition key, with the index when it is named. */
function indexKeysUsed(): Map<string, Set<string>> {
  const used = new Map<string, Set<string>>();
  const add = (name: string, index = '') => used.set(name, (used.get(name) ?? new Set()).add(index));
  for (const { text } of sources) {
    // gsi1pk: keys.inbox(…), out.gsi3pk = keys.watch(…)
    for (const m of text.matchAll(/gsi([123])pk['"]?\s*[:=]\s*keys\.(\w+)/g)) add(m[2]!, `gsi${m[1]}`);
    // { index: 'gsi1', partition: keys.proposals(…), … }
    for (const m of text.matchAll(/index:\s*'(gsi[123])',[^}]*?partition:\s*keys\.(\w+)/g)) add(m[2]!, m[1]);
    // An IndexKey made for an update (indexUpdate): (…): IndexKey => ({ partition: keys.entitiesIndex(…)
    for (const m of text.matchAll(/IndexKey(?: \| undefined)?\s*=>[\s\S]*?partition:\s*keys\.(\w+)/g))
      add(m[1]!);
    // An update's placeholder of an index key: ':gpk': keys.register(…)
    for (const m of text.matchAll(/':g\w*pk':\s*keys\.(\w+)/g)) add(m[1]!);
    // The shards a reader queries: shardKeys(N, keys.consultationsIndex)
    for (const m of text.matchAll(/shardKeys\(\w+,\s*keys\.(\w+)\)/g)) add(m[1]!);
  }
  return used;
}

describe('index partition keys', () => {
  it('no `keys` member is a constant partition key: each is made from what it takes', () => {
    // (An object is one item's key, `sweepState` say: a table item, never an index partition.)
    const constants = Object.entries(keys).filter(([, value]) => typeof value === 'string');
    expect(constants.map(([name]) => name)).toEqual([]);
  });

  it.each(families)('%s takes an id or a shard, and differs for another', (_name, family) => {
    expect(family.key.length).toBeGreaterThan(0);
    // Its first argument: the id (an entity, a consultation…) or the shard.
    const [one, two] = [1, 2].map((n) =>
      family.key(...Array.from({ length: family.key.length }, (_, i) => (i === 0 ? n : 'X'))),
    );
    expect(one).not.toBe(two);
  });

  it('declares every index partition key the adapters write or query, on its index, and no other', () => {
    const used = indexKeysUsed();
    const declared = new Map(families);
    for (const [name, indexes] of used) {
      expect(declared.has(name), `${name} is an index partition key missing from INDEX_PARTITIONS`).toBe(
        true,
      );
      for (const index of indexes) {
        if (index !== '') expect(declared.get(name)?.index, `${name} is used on ${index}`).toBe(index);
      }
    }
    expect([...used.keys()].sort()).toEqual(families.map(([name]) => name).sort());
  });

  it('no adapter writes or queries an index partition key given as a literal', () => {
    const found = sources.flatMap(({ name, text }) => literalKeys(text).map((k) => `${name}: ${k}`));
    expect(found).toEqual([]);
  });

  it('the scan above catches a constant key (it is not vacuous)', () => {
    const interpolated = 'gsi1pk: `N#$' + '{n}`';
    const text = `out.gsi3pk = 'CONSULTATIONS#OPEN'; q = { index: 'gsi1', partition: \`ENTITIES\` }; ${interpolated}`;
    expect(literalKeys(text)).toEqual(["gsi3pk = 'CONSULTATIONS#OPEN'", 'partition: `ENTITIES`']);
  });

  it.each(families)(
    '%s is queryable under a key family of the catalog (its IAM leading keys)',
    (_name, family) => {
      const key = family.key(...Array.from({ length: family.key.length }, (_, i) => (i === 0 ? 3 : 'X')));
      const patterns = Object.values(TABLE_FAMILIES as Record<string, { pattern: string; index?: string }>)
        .filter((f) => f.index === family.index)
        .map((f) => f.pattern);
      expect(allows(patterns, key), `${key} on ${family.index}`).toBe(true);
    },
  );
});

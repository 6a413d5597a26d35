/**
 * Every worked example: the public vectors (RULES.md's vectors.json, copied in fixtures/ and read
 * from ../shared/legal/ too when present, so a newer file is picked up) and our own hand-computed
 * examples (fixtures/worked-examples.json).
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type ClockInput, computeClock } from '#domain/clock/index.ts';

interface Vector extends Record<string, unknown> {
  name: string;
  expect: Record<string, unknown>;
}

function load(url: URL): Vector[] {
  if (!existsSync(url)) return [];
  return (JSON.parse(readFileSync(url, 'utf8')) as { cases: Vector[] }).cases;
}

const publicVectors = new Map<string, Vector>();
for (const v of [
  ...load(new URL('./fixtures/public-vectors.json', import.meta.url)),
  ...load(new URL('../../../../shared/legal/vectors.json', import.meta.url)),
]) {
  publicVectors.set(v.name, v);
}
const worked = load(new URL('./fixtures/worked-examples.json', import.meta.url));

function check(v: Vector): void {
  // Act
  const result = computeClock(v as unknown as ClockInput) as unknown as Record<string, unknown>;
  // Assess: every expected field, and the day-by-day trace counts exactly the term
  for (const [key, value] of Object.entries(v.expect))
    expect(result[key], `${v.name}: ${key}`).toEqual(value);
  const counted = (result.trace as { kind: string }[]).filter((t) => t.kind === 'counted').length;
  if (result.due !== null) expect(counted).toBe(result.totalTermDays);
}

describe('public vectors (vectors.json)', () => {
  it('are all present', () => {
    expect(publicVectors.size).toBeGreaterThanOrEqual(5);
  });
  it.each([...publicVectors.values()].map((v) => [v.name, v] as const))('%s', (_name, v) => check(v));
});

describe('our worked examples (each term class, event, reading, office hours, closures, 2020–2022)', () => {
  it.each(worked.map((v) => [v.name, v] as const))('%s', (_name, v) => check(v));
});

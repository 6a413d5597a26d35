import type { Clock } from '#ports/index.ts';

export const systemClock: Clock = { now: () => new Date() };

/** A clock that says what it is told (tests, replays). */
export function fixedClock(at: string | Date): Clock & { set(at: string | Date): void } {
  let now = new Date(at);
  return { now: () => new Date(now), set: (t) => (now = new Date(t)) };
}

/** A clock the test sets: it stands still until told to move. */
import type { Clock } from '#ports/index.ts';

export class SettableClock implements Clock {
  private current: number;

  constructor(at: Date | string) {
    this.current = new Date(at).getTime();
    if (Number.isNaN(this.current)) throw new Error(`SettableClock: ${String(at)} is not an instant`);
  }

  now(): Date {
    return new Date(this.current);
  }

  set(at: Date | string): void {
    const next = new Date(at).getTime();
    if (Number.isNaN(next)) throw new Error(`SettableClock: ${String(at)} is not an instant`);
    this.current = next;
  }

  advance(ms: number): void {
    this.current += ms;
  }
}

/** Fixed windows of the application's rate limits. Pure. */

export interface LimitWindow {
  /** The window's id: the epoch second it starts at. */
  readonly id: string;
  /** Seconds until it ends (Retry-After, at least 1). */
  readonly retryAfterSeconds: number;
  /** When its count may be forgotten (epoch s): a window after its end. */
  readonly expiresAt: number;
}

/** The `seconds`-long window `now` falls in (aligned on the epoch: 900 → quarter hours). */
export function fixedWindow(now: Date, seconds: number): LimitWindow {
  const epoch = Math.floor(now.getTime() / 1000);
  const start = epoch - (epoch % seconds);
  return {
    id: String(start),
    retryAfterSeconds: Math.max(1, start + seconds - epoch),
    expiresAt: start + 2 * seconds,
  };
}

/** How long to wait, in whole minutes, as a citizen reads it: "1 minuto", "15 minutos". */
export function minutesToWait(seconds: number): { es: string; en: string } {
  const n = Math.max(1, Math.ceil(seconds / 60));
  return { es: `${n} ${n === 1 ? 'minuto' : 'minutos'}`, en: `${n} ${n === 1 ? 'minute' : 'minutes'}` };
}

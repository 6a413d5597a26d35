/** RateLimiter in memory (shared/ports/limits.ts): a bucket's count in a window grows only under the limit. */
import type { RateLimiter } from '#ports/limits.ts';

export class InMemoryRateLimiter implements RateLimiter {
  private readonly counts = new Map<string, number>();

  async take(bucket: string, window: string, limit: number): Promise<boolean> {
    const key = `${bucket}#${window}`;
    const n = this.counts.get(key) ?? 0;
    if (n >= limit) return false;
    this.counts.set(key, n + 1);
    return true;
  }

  async used(bucket: string, window: string): Promise<number> {
    return this.counts.get(`${bucket}#${window}`) ?? 0;
  }
}

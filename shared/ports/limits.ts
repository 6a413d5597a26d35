/**
 * Fixed-window counters for the limits the application sets itself (what a WAF cannot see: per
 * radicado, per device key, per uploader): uploads, wrong tracking codes, comments.
 */
export interface RateLimiter {
  /**
   * Counts one use of `bucket` in `window` if fewer than `limit` were counted there: false when
   * the limit is reached (nothing counted). The count is forgotten after `expiresAt` (epoch s).
   */
  take(bucket: string, window: string, limit: number, expiresAt: number): Promise<boolean>;
  /** The uses counted for `bucket` in `window` (0 when none). */
  used(bucket: string, window: string): Promise<number>;
}

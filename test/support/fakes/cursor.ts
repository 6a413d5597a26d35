/**
 * Pagination for the in-memory stores: a listing is sorted by a string key, and a cursor is the
 * key of the last item given plus the listing's name, base64url-encoded. A cursor of another
 * listing, or one this code did not make, is an InvalidCursorError (the ports' contract).
 */
import { InvalidCursorError, type Page } from '#ports/index.ts';

export interface Keyed<T> {
  key: string;
  item: T;
}

function decode(cursor: string, listing: string): string {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      value !== null &&
      typeof value === 'object' &&
      (value as Record<string, unknown>).listing === listing &&
      typeof (value as Record<string, unknown>).after === 'string'
    ) {
      return (value as { after: string }).after;
    }
  } catch {
    // fall through
  }
  throw new InvalidCursorError('cursor is not one this store gave for this listing');
}

/** One page of `entries` (any order), sorted by key, ascending or descending. */
export function pageOf<T>(
  entries: readonly Keyed<T>[],
  listing: string,
  page: { limit: number; cursor?: string | undefined },
  order: 'asc' | 'desc' = 'asc',
): Page<T> {
  if (!Number.isInteger(page.limit) || page.limit < 1) throw new Error(`limit must be ≥ 1: ${page.limit}`);
  const after = page.cursor === undefined ? undefined : decode(page.cursor, listing);
  const sign = order === 'asc' ? 1 : -1;
  const sorted = [...entries].sort((a, b) => sign * (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const rest =
    after === undefined ? sorted : sorted.filter((e) => (order === 'asc' ? e.key > after : e.key < after));
  const items = rest.slice(0, page.limit);
  const last = items.at(-1);
  const more = rest.length > items.length && last !== undefined;
  return {
    items: items.map((e) => e.item),
    ...(more
      ? { cursor: Buffer.from(JSON.stringify({ listing, after: last.key })).toString('base64url') }
      : {}),
  };
}

/**
 * Counting cases for the PQRSD report from the table stream (issue 15): each case's latest version
 * in a batch is compared with what was counted of it, and the difference of their contributions
 * is added (contributions.ts), so the counters always equal a recount of the cases as they are
 * now, whatever was delivered twice, and a change the stream lost is made good by the next one.
 */
import { cellsDelta, contributions } from '#domain/transparency/contributions.ts';
import type { CountChange, ReportCounters, StreamCase } from '#ports/reports.ts';

/** Counts a batch of stream images of cases; returns how many cases changed the counters. */
export async function countStreamCases(
  deps: { counters: ReportCounters },
  images: readonly StreamCase[],
): Promise<{ changed: number; skipped: number }> {
  const latest = new Map<string, StreamCase>();
  for (const c of images) {
    const seen = latest.get(c.radicado);
    if (seen === undefined || seen.version < c.version) latest.set(c.radicado, c);
  }
  const counted = await deps.counters.counted([...latest.keys()]);
  const changes: CountChange[] = [];
  let skipped = 0;
  for (const c of latest.values()) {
    const before = counted.get(c.radicado);
    if (before !== undefined && before.version >= c.version) {
      skipped++;
      continue;
    }
    const cells = contributions(c);
    const delta = cellsDelta(before?.cells ?? {}, cells);
    changes.push({ radicado: c.radicado, entityId: c.entityId, version: c.version, cells, delta });
  }
  await deps.counters.apply(changes);
  return { changed: changes.filter((c) => Object.keys(c.delta).length > 0).length, skipped };
}

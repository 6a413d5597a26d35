/**
 * Counting cases for the PQRSD report from the table stream (issue 15): each case's latest version
 * in a batch is compared with what was counted of it, and the difference of their contributions
 * is added (contributions.ts), so the counters always equal a recount of the cases as they are
 * now, whatever was delivered twice, and a change the stream lost is made good by the next one.
 */

import { parseRadicado } from '#domain/case/radicado.ts';
import { noticeRecords } from '#domain/channels.ts';
import { cellsDelta, contributions } from '#domain/transparency/contributions.ts';
import { registerEntry, sameEntry } from '#domain/transparency/register.ts';
import type { EntityStore } from '#ports/index.ts';
import type { CountChange, ReportCounters, StreamAnswerNotice, StreamCase } from '#ports/reports.ts';

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
    const entry = registerEntry(c);
    // A change that moves no figure may still change the register (an office, a due date).
    const same = Object.keys(delta).length === 0 && sameEntry(entry, before?.entry);
    if (!same)
      changes.push({ radicado: c.radicado, entityId: c.entityId, version: c.version, cells, delta, entry });
  }
  await deps.counters.apply(changes);
  return { changed: changes.filter((c) => Object.keys(c.delta).length > 0).length, skipped };
}

/**
 * Records, for the register, the day each petitioner counts as notified of an answer: delivered
 * or sent (email, SMS), or the day after the publication period (CPACA art. 69, on the entity's
 * calendar); none while a bounced notice waits to go again, or when it was skipped. A case's last
 * mark in the batch (stream order) decides. A notice delivered again writes the same day.
 */
export async function countNotified(
  deps: { counters: Pick<ReportCounters, 'notified'>; entities: Pick<EntityStore, 'get'> },
  notices: readonly StreamAnswerNotice[],
): Promise<void> {
  const last = new Map<string, StreamAnswerNotice>();
  // A claim changes nothing, nor does the pending mark an answer is written with (nothing sent yet).
  for (const n of notices)
    if (n.state !== 'sending' && (n.state !== 'pending' || n.failed)) last.set(n.radicado, n);
  await Promise.all(
    [...last.values()].map(async (n) => {
      if (n.state !== 'sent') return deps.counters.notified(n.radicado, null);
      const entityId = parseRadicado(n.radicado)?.entityId;
      const entity =
        n.channel === 'publication' && entityId !== undefined ? await deps.entities.get(entityId) : undefined;
      const [record] = noticeRecords(
        [{ seq: 0, mark: { kind: 'answered', ...n } }],
        entity?.closures ? { closures: entity.closures } : {},
      );
      return deps.counters.notified(n.radicado, record!.notifiedOn);
    }),
  );
}

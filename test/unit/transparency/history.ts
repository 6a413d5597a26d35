/**
 * Case histories for the transparency tests: cases filed and acted on through the real use cases
 * (test/unit/app/world.ts), and the table stream they would produce — one record per write of a
 * case, with its old and new image, as a DynamoDB stream delivers them.
 */

import { sweepCases } from '#app/sweep.ts';
import { withdrawPetition } from '#app/withdrawPetition.ts';
import type { CaseRecord } from '#domain/case/case.ts';
import type { Filing } from '#domain/case/filing.ts';
import { actNow, emailChannel, fileRouted, supervisor, type World } from '../app/world.ts';

export interface StreamRecord {
  radicado: string;
  /** The case's version after the write: increasing per case, as stream sequence numbers are. */
  version: number;
  old?: CaseRecord;
  new: CaseRecord;
}

/** The stream of a world's case table: `capture` emits a record for each case written since. */
export class CaseStream {
  private readonly seen = new Map<string, CaseRecord>();
  readonly records: StreamRecord[] = [];

  constructor(private readonly w: World) {}

  capture(): void {
    for (const c of this.w.cases.all()) {
      const old = this.seen.get(c.radicado);
      if (old?.version === c.version) continue;
      this.records.push({ radicado: c.radicado, version: c.version, ...(old ? { old } : {}), new: c });
      this.seen.set(c.radicado, c);
    }
  }
}

/** A supervisor of the case's entity (acts on every office). */
export const supervisorOf = (entityId: string) => ({ ...supervisor, entityId, subject: `sup-${entityId}` });

/** Files (as a web citizen, or through `channel`'s intake) and routes a case at the clock's now. */
export async function fileAndRoute(
  w: World,
  filing: Filing,
): Promise<{ record: CaseRecord; trackingCode: string }> {
  if (filing.channel === 'web') return fileRouted(w, filing);
  return fileRouted(w, filing, { actor: emailChannel, receivedAt: w.clock.now() });
}

/** An officer action by the entity's supervisor; the stored case after it. */
export async function act(w: World, radicado: string, action: Record<string, unknown>): Promise<CaseRecord> {
  const c = await w.cases.get(radicado);
  if (!c) throw new Error(`no case ${radicado}`);
  await actNow(w, supervisorOf(c.entityId), radicado, action);
  return (await w.cases.get(radicado))!;
}

/** Assigns the case to an officer of its office (respond needs it). */
export async function assign(w: World, radicado: string): Promise<CaseRecord> {
  const c = (await w.cases.get(radicado))!;
  return act(w, radicado, { type: 'assign', office: c.office, officer: 'officer-1' });
}

/** The petitioner withdraws (Ley 1755 art. 18). */
export async function withdrawExpress(w: World, radicado: string, trackingCode: string): Promise<CaseRecord> {
  await withdrawPetition(w.petitioners, radicado, { trackingCode }, { reason: 'Ya no la necesito' });
  return (await w.cases.get(radicado))!;
}

/** The sweeper's run at the clock's now (marks information requests deemed accepted). */
export async function sweep(w: World): Promise<void> {
  await sweepCases({ cases: w.cases, entities: w.entities, notices: w.notices, clock: w.clock });
}

export const DAY = 86_400_000;

/**
 * Verifies an audit trail: recomputes the SHA-256 chain of the stored events and checks that the
 * head the subject records (a case's `lastEventSeq`/`lastEventHash`, written in the same
 * transaction as each event) is the last event, so a deleted tail event is caught as well as an
 * edited, removed or relinked one. Reports the first broken link.
 *
 * What a hash chain cannot show on its own: someone with write access who rewrites every event
 * from the tampered one on AND the subject's head. Exporting the head hashes elsewhere (a
 * published digest) would close that; not done here.
 */
import type { Actor } from '#domain/actor.ts';
import { type AuditEvent, GENESIS_HASH, verifyChain } from '#domain/case/audit.ts';
import type { EntitySettingsStore } from '#ports/entitySettings.ts';
import type { CaseStore } from '#ports/index.ts';
import { inEntity, requireDuty } from './access.ts';
import { UseCaseError } from './errors.ts';

export interface AuditReport {
  ok: boolean;
  /** Events found. */
  events: number;
  /** The hash of the last event, when the trail holds. */
  head?: string;
  /** The sequence number of the first event that does not hold. */
  brokenAt?: number;
  reason?: string;
}

/**
 * The verdict on a trail: `subject` is whose trail it is (each event names it), `head` what the
 * subject records as its last event. Pure.
 */
export function checkTrail(
  subject: string,
  events: readonly AuditEvent[],
  head: { seq: number; hash: string },
): AuditReport {
  const count = events.length;
  const broken = (brokenAt: number, reason: string): AuditReport => ({
    ok: false,
    events: count,
    brokenAt,
    reason,
  });

  const chain = verifyChain(events);
  // An event of another subject (copied with its valid hashes) is caught too, wherever it is first.
  const foreign = events.findIndex((e) => e.radicado !== subject) + 1;
  if (foreign > 0 && (chain.ok || foreign < chain.brokenAt))
    return broken(foreign, 'belongs to another trail');
  if (!chain.ok) return broken(chain.brokenAt, chain.reason);

  const last = events.at(-1);
  const lastSeq = last?.seq ?? 0;
  const lastHash = last?.hash ?? GENESIS_HASH;
  if (head.seq > lastSeq) {
    return broken(lastSeq + 1, `event ${lastSeq + 1} is missing (the recorded head is event ${head.seq})`);
  }
  if (head.seq < lastSeq) {
    return broken(head.seq + 1, `is not part of the record (the recorded head is event ${head.seq})`);
  }
  if (head.hash !== lastHash) return broken(lastSeq, 'does not match the recorded head hash');
  if (count === 0) return broken(1, 'the trail is empty');
  return { ok: true, events: count, head: lastHash };
}

/**
 * A case's audit trail, verified: for an officer, by the entity's supervisors and admins (another
 * entity's case is not found, like an unknown radicado); without one, by an operator (the CLI).
 */
export async function verifyAudit(
  deps: { cases: CaseStore },
  radicado: string,
  officer?: Actor,
): Promise<AuditReport> {
  if (officer) requireDuty(officer, 'supervision');
  const notFound = () =>
    new UseCaseError('not_found', {
      es: 'No hay un caso con ese radicado',
      en: 'no case with that radicado',
    });
  const found = await deps.cases.get(radicado);
  const record = officer ? inEntity(officer, found, notFound) : found;
  if (!record) throw notFound();
  const events = await deps.cases.events(radicado);
  return checkTrail(radicado, events, { seq: record.lastEventSeq, hash: record.lastEventHash });
}

/** An entity's own trail (its settings changes), verified; an entity never changed has none. */
export async function verifyEntityAudit(
  deps: { settings: EntitySettingsStore },
  entityId: string,
): Promise<AuditReport> {
  const stored = await deps.settings.getVersioned(entityId);
  if (!stored) {
    throw new UseCaseError('not_found', {
      es: 'No existe una entidad con ese id',
      en: 'no entity with that id',
    });
  }
  const events = await deps.settings.entityEvents(entityId);
  if (events.length === 0 && stored.lastEventSeq === 0) return { ok: true, events: 0, head: GENESIS_HASH };
  return checkTrail(entityId, events, { seq: stored.lastEventSeq, hash: stored.lastEventHash });
}

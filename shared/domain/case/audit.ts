/**
 * The audit trail of a case: every change is an event chained by SHA-256 to the one before it,
 * so that editing or removing a stored event is detectable. Pure.
 */
import { canonicalJson, sha256Hex } from '../text.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface Actor {
  kind: 'citizen' | 'channel' | 'system' | 'officer';
  id?: string;
}

export interface AuditEvent {
  radicado: string;
  seq: number;
  type: string;
  at: string;
  actor: Actor;
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export type NewEvent = Omit<AuditEvent, 'seq' | 'prevHash' | 'hash'>;

function hashOf(event: Omit<AuditEvent, 'hash'>): string {
  return sha256Hex(canonicalJson(event));
}

/** The next event of a chain whose last event is `prev` (none for the first). */
export function chainEvent(prev: { seq: number; hash: string } | undefined, event: NewEvent): AuditEvent {
  const body = { ...event, seq: (prev?.seq ?? 0) + 1, prevHash: prev?.hash ?? GENESIS_HASH };
  return { ...body, hash: hashOf(body) };
}

/** Recomputes the chain; reports the first event whose link or content does not hold. */
export function verifyChain(
  events: readonly AuditEvent[],
): { ok: true } | { ok: false; brokenAt: number; reason: string } {
  let prev: AuditEvent | undefined;
  for (const [i, e] of events.entries()) {
    if (e.seq !== i + 1) return { ok: false, brokenAt: i + 1, reason: `event ${i + 1} is missing` };
    if (e.prevHash !== (prev?.hash ?? GENESIS_HASH)) {
      return { ok: false, brokenAt: e.seq, reason: 'does not link to the previous event' };
    }
    const { hash, ...body } = e;
    if (hashOf(body) !== hash)
      return { ok: false, brokenAt: e.seq, reason: 'content does not match its hash' };
    prev = e;
  }
  return { ok: true };
}

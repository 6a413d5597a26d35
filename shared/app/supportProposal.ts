/**
 * An identified citizen supports a proposal: counted once per citizen, however often the request
 * is retried or raced (the store's conditional put and counter ADD commit together). While the
 * proposal is open, every support (a repeated one too: a client retrying after a failed
 * conversion heals it) checks the exact total against the threshold and converts it.
 *
 * The checks of one process on one proposal are coalesced: a support joins a check that has not
 * started yet, else queues one to start after the running one, so each support is followed by a
 * check that began after it was written (the one that crosses the threshold is never missed)
 * while a burst costs one total read at a time per process, not one per support. The checks stop
 * once the proposal is converted.
 *
 * A conversion that fails once the proposal is in the index of proposals to convert is reported
 * (`onConversionError`) and the support answered: the schedule retries it; one the filing refuses
 * is reported too, and answered `conversion_failed` (for good). A failure before that
 * (the total or the mark could not be read or written) fails the request, so that the client's
 * retry (counted once) checks again: a support is never answered with its conversion forgotten.
 */
import type { ProposalRecord } from '#domain/participation/proposal.ts';
import { proposalCounterGroup } from '#domain/participation/proposal.ts';
import type { ProposalStore } from '#ports/proposals.ts';
import {
  ConversionDeferredError,
  ConversionRefusedError,
  type ConvertDeps,
  convertIfReached,
} from './proposalConvert.ts';
import type { CitizenRef } from './proposalCreate.ts';
import { noProposal } from './proposalRead.ts';

export interface SupportDeps extends ConvertDeps {
  proposals: ProposalStore;
  /** How long a process may reuse a proposal it read (ms): a burst reads it once, not per support. */
  cacheMs?: number;
  /**
   * Told when a conversion failed (the support itself is counted; the schedule retries it), or was
   * refused for good (a ConversionRefusedError).
   */
  onConversionError?: (proposalId: string, error: unknown) => void;
}

export interface SupportResult {
  proposalId: string;
  /** `counted`: this support is new; `already_counted`: this citizen supported it before. */
  outcome: 'counted' | 'already_counted';
  status: ProposalRecord['status'];
  radicado: string | null;
}

const pending = new Map<string, Promise<ProposalRecord>>();
const running = new Map<string, Promise<unknown>>();

/** Runs `work` for `key` after the running one, sharing it with every caller until it starts. */
function coalesced(key: string, work: () => Promise<ProposalRecord>): Promise<ProposalRecord> {
  const waiting = pending.get(key);
  if (waiting) return waiting;
  const before = running.get(key) ?? Promise.resolve();
  const next = before.then(() => {
    pending.delete(key);
    return work();
  });
  pending.set(key, next);
  const tail = next.catch(() => undefined);
  running.set(key, tail);
  void tail.then(() => {
    if (running.get(key) === tail) running.delete(key);
  });
  return next;
}

export async function supportProposal(
  deps: SupportDeps,
  command: { proposalId: string; supporter: CitizenRef },
): Promise<SupportResult> {
  const { proposalId } = command;
  const proposal = await deps.proposals.get(proposalId, { maxAgeMs: deps.cacheMs ?? 2000 });
  if (!proposal) throw noProposal(proposalId);
  const supporter = command.supporter.pseudonymsFor(proposalCounterGroup(proposalId));
  const at = deps.filing.clock.now().toISOString();
  const outcome = await deps.proposals.addSupport(proposalId, supporter, at);
  let now = proposal;
  if (proposal.status === 'open') {
    try {
      now = await coalesced(proposalId, () => convertIfReached(deps, proposal));
    } catch (error) {
      if (error instanceof ConversionRefusedError) {
        deps.onConversionError?.(proposalId, error);
        now = { ...proposal, status: 'conversion_failed' };
      } else if (error instanceof ConversionDeferredError) {
        deps.onConversionError?.(proposalId, error.cause);
      } else {
        throw error;
      }
    }
  }
  return {
    proposalId,
    outcome: outcome === 'added' ? 'counted' : 'already_counted',
    status: now.status,
    radicado: now.radicado ?? null,
  };
}

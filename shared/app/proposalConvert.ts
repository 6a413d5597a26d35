/**
 * A proposal whose supports reached its threshold becomes a petition in the entity's inbox,
 * through the same filing as every PQRSD (radicado, legal clock, receipt, routing by the stream),
 * exactly once: the filing's idempotency record is keyed by the proposal id and kept for good, so
 * concurrent or repeated conversions file one case and all learn its radicado; then the proposal
 * is marked with it (conditionally: never another radicado).
 */
import { FilingSchema } from '#domain/case/filing.ts';
import { type ProposalRecord, proposalFiling, reachedThreshold } from '#domain/participation/proposal.ts';
import type { ProposalStore } from '#ports/proposals.ts';
import { type FileCaseDeps, fileCase } from './fileCase.ts';

export interface ConvertDeps {
  proposals: ProposalStore;
  filing: FileCaseDeps;
}

/** The idempotency scope of conversions (with the proposal id as key). */
export const CONVERSION_SCOPE = 'participation';

export async function convertProposal(deps: ConvertDeps, proposal: ProposalRecord): Promise<ProposalRecord> {
  if (proposal.status === 'converted') return proposal;
  const request = proposalFiling(proposal);
  const filed = await fileCase(deps.filing, {
    filing: FilingSchema.parse(request),
    actor: { kind: 'channel', id: 'participation' },
    externalId: proposal.id,
    idempotency: { scope: CONVERSION_SCOPE, key: proposal.id, request, permanent: true },
  });
  const at = deps.filing.clock.now().toISOString();
  await deps.proposals.markConverted(proposal.id, filed.radicado, at);
  return (
    (await deps.proposals.get(proposal.id)) ?? { ...proposal, status: 'converted', radicado: filed.radicado }
  );
}

/**
 * Reads the exact total (consistent sum of the shards) and converts the proposal if it reached
 * its threshold. Returns the proposal as it now is.
 */
export async function convertIfReached(deps: ConvertDeps, proposal: ProposalRecord): Promise<ProposalRecord> {
  if (proposal.status === 'converted') return proposal;
  const supports = await deps.proposals.supports(proposal.id, { consistent: true });
  if (!reachedThreshold(proposal, supports)) return proposal;
  // Another process may have converted it since the copy we hold was read.
  const fresh = (await deps.proposals.get(proposal.id)) ?? proposal;
  return convertProposal(deps, fresh);
}

/**
 * A proposal whose supports reached its threshold becomes a petition in the entity's inbox,
 * through the same filing as every PQRSD (radicado, legal clock, receipt, routing by the stream),
 * exactly once: the filing's idempotency record is keyed by the proposal id and kept for good, so
 * concurrent or repeated conversions file one case and all learn its radicado; then the proposal
 * is marked with it (conditionally: never another radicado).
 *
 * Before converting, the proposal is put in the index of proposals to convert (a sparse entry,
 * removed when it is marked converted). A conversion that fails after that (the filing's store
 * throttled, the signer unreachable) leaves it there, and the Publish schedule retries it
 * (`convertDueProposals`) even if nobody supports it again. One the filing refuses can never
 * succeed (the entity is gone or no longer receives petitions): it is marked `conversion_failed`
 * with the reasons, out of the index, for good.
 */
import { FilingSchema } from '#domain/case/filing.ts';
import { type FieldIssue, issuesOf } from '#domain/issues.ts';
import { type ProposalRecord, proposalFiling, reachedThreshold } from '#domain/participation/proposal.ts';
import type { ProposalStore } from '#ports/proposals.ts';
import { refusal, UseCaseError } from './errors.ts';
import { type FileCaseDeps, type FiledCase, fileCase } from './fileCase.ts';

export interface ConvertDeps {
  proposals: ProposalStore;
  filing: FileCaseDeps;
}

/** The idempotency scope of conversions (with the proposal id as key). */
export const CONVERSION_SCOPE = 'participation';

/**
 * A conversion that failed after the proposal was put in the index of proposals to convert: the
 * schedule retries it, so the caller may report it and go on. Carries the proposal id only.
 */
export class ConversionDeferredError extends Error {
  constructor(
    readonly proposalId: string,
    options: { cause: unknown },
  ) {
    super(`conversion of proposal ${proposalId} failed; the schedule retries it`, options);
    this.name = 'ConversionDeferredError';
  }
}

/**
 * A conversion the filing refused: it can never succeed, and the proposal is now marked
 * `conversion_failed` with `reason` (field issues of the filing; no personal data in messages).
 */
export class ConversionRefusedError extends Error {
  constructor(
    readonly proposalId: string,
    readonly reason: readonly FieldIssue[],
  ) {
    super(`conversion of proposal ${proposalId} refused for good`);
    this.name = 'ConversionRefusedError';
  }
}

/** Files the proposal's petition; a refusal (UseCaseError 'invalid') marks it failed for good. */
async function fileProposal(deps: ConvertDeps, proposal: ProposalRecord): Promise<FiledCase> {
  const request = proposalFiling(proposal);
  let reason: FieldIssue[];
  try {
    const filing = FilingSchema.safeParse(request);
    if (!filing.success) throw refusal(issuesOf(filing.error, [], request));
    return await fileCase(deps.filing, {
      filing: filing.data,
      actor: { kind: 'channel', id: 'participation' },
      externalId: proposal.id,
      idempotency: { scope: CONVERSION_SCOPE, key: proposal.id, request, permanent: true },
    });
  } catch (error) {
    if (!(error instanceof UseCaseError && error.code === 'invalid')) throw error;
    reason = error.issues;
  }
  await deps.proposals.markFailed(proposal.id, reason, deps.filing.clock.now().toISOString());
  throw new ConversionRefusedError(proposal.id, reason);
}

/**
 * Converts the proposal (if still open) and returns it as it now is. Throws what failed, or
 * ConversionRefusedError once the proposal is marked failed for good.
 */
export async function convertProposal(deps: ConvertDeps, proposal: ProposalRecord): Promise<ProposalRecord> {
  if (proposal.status !== 'open') return proposal;
  const filed = await fileProposal(deps, proposal);
  const at = deps.filing.clock.now().toISOString();
  await deps.proposals.markConverted(proposal.id, filed.radicado, at);
  return (
    (await deps.proposals.get(proposal.id)) ?? { ...proposal, status: 'converted', radicado: filed.radicado }
  );
}

/**
 * Reads the exact total (consistent sum of the shards) and converts the proposal if it reached
 * its threshold. Returns the proposal as it now is. A failure before the proposal is in the index
 * of proposals to convert is thrown as is (the caller must not report success: nothing would
 * retry it); one after, as ConversionDeferredError; a refusal as ConversionRefusedError.
 */
export async function convertIfReached(deps: ConvertDeps, proposal: ProposalRecord): Promise<ProposalRecord> {
  if (proposal.status !== 'open') return proposal;
  const supports = await deps.proposals.supports(proposal.id, { consistent: true });
  if (!reachedThreshold(proposal, supports)) return proposal;
  // Another process may have converted it since the copy we hold was read.
  const fresh = (await deps.proposals.get(proposal.id)) ?? proposal;
  if (fresh.status !== 'open') return fresh;
  if (fresh.reachedAt === undefined) {
    await deps.proposals.markReached(fresh.id, deps.filing.clock.now().toISOString());
  }
  try {
    return await convertProposal(deps, fresh);
  } catch (error) {
    if (error instanceof ConversionRefusedError) throw error;
    throw new ConversionDeferredError(fresh.id, { cause: error });
  }
}

export interface DueConversions {
  /** Proposals converted by this run (their radicados are on the proposals). */
  converted: string[];
  /** Proposals whose conversion failed again (left in the index for the next run). */
  failed: { proposalId: string; error: unknown }[];
  /** Proposals the filing refused: marked `conversion_failed` with the reason, never retried. */
  refused: { proposalId: string; reason: readonly FieldIssue[] }[];
}

/**
 * The schedule's retry: converts the proposals that reached their threshold and are not converted
 * yet (oldest first, at most `limit` a run), each exactly once whatever runs at the same time (a
 * support converting it too: the filing's idempotency makes them one case).
 */
export async function convertDueProposals(
  deps: ConvertDeps,
  options: { limit?: number } = {},
): Promise<DueConversions> {
  const out: DueConversions = { converted: [], failed: [], refused: [] };
  for (const id of await deps.proposals.listToConvert(options.limit ?? 50)) {
    // The index is eventually consistent: the proposal itself says whether it is still to convert.
    const proposal = await deps.proposals.get(id);
    if (proposal?.status !== 'open') continue;
    try {
      await convertProposal(deps, proposal);
      out.converted.push(id);
    } catch (error) {
      if (error instanceof ConversionRefusedError) out.refused.push({ proposalId: id, reason: error.reason });
      else out.failed.push({ proposalId: id, error });
    }
  }
  return out;
}

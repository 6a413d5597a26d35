/** Public reads of proposals: one, or an entity's, with their supports (sums of counter shards). */
import { type PublicProposal, publicProposal } from '#domain/participation/proposal.ts';
import type { ProposalStore } from '#ports/proposals.ts';
import { paged, UseCaseError } from './errors.ts';

export const noProposal = (id: string) =>
  new UseCaseError('not_found', { es: `No existe la propuesta ${id}`, en: `no proposal ${id}` });

export async function getPublicProposal(
  deps: { proposals: ProposalStore },
  id: string,
): Promise<PublicProposal> {
  const proposal = await deps.proposals.get(id);
  if (!proposal) throw noProposal(id);
  return publicProposal(proposal, await deps.proposals.supports(id));
}

export async function listPublicProposals(
  deps: { proposals: ProposalStore },
  entityId: string,
  page: { limit: number; cursor?: string },
): Promise<{ items: PublicProposal[]; cursor?: string }> {
  const found = await paged(deps.proposals.listByEntity(entityId, page));
  const supports = await deps.proposals.supportsOf(found.items.map((p) => p.id));
  return {
    items: found.items.map((p) => publicProposal(p, supports.get(p.id) ?? 0)),
    ...(found.cursor ? { cursor: found.cursor } : {}),
  };
}

/**
 * An identified citizen makes a proposal to an entity. The entity must receive petitions (what
 * the proposal becomes) and own the category; the threshold in force now is fixed on it.
 */
import {
  checkProposalAgainstEntity,
  newProposalId,
  type ProposalInput,
  type ProposalRecord,
  type PublicProposal,
  proposalCounterGroup,
  publicProposal,
  thresholdOf,
} from '#domain/participation/proposal.ts';
import type { Clock, EntityStore } from '#ports/index.ts';
import type { ProposalStore } from '#ports/proposals.ts';
import { noEntity, refusal } from './errors.ts';

export interface ProposalDeps {
  proposals: ProposalStore;
  entities: EntityStore;
  clock: Clock;
}

/** A verified citizen as the use cases see one: only a hash per scope, never who it is. */
export interface CitizenRef {
  hashFor(scope: string): string;
}

export async function createProposal(
  deps: ProposalDeps,
  command: { input: ProposalInput; author: CitizenRef },
): Promise<PublicProposal> {
  const { input } = command;
  const entity = await deps.entities.get(input.entityId);
  if (!entity) {
    throw noEntity('entityId', input.entityId);
  }
  const issues = checkProposalAgainstEntity(input, entity);
  if (issues.length > 0) throw refusal(issues);
  const id = newProposalId(entity.id);
  const proposal: ProposalRecord = {
    id,
    entityId: entity.id,
    title: input.title,
    description: input.description,
    ...(input.category ? { category: input.category } : {}),
    author: input.author,
    authorHash: command.author.hashFor(proposalCounterGroup(id)),
    threshold: thresholdOf(entity),
    status: 'open',
    createdAt: deps.clock.now().toISOString(),
  };
  await deps.proposals.create(proposal);
  return publicProposal(proposal, 0);
}

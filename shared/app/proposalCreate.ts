/**
 * An identified citizen makes a proposal to an entity. The entity must receive petitions (what
 * the proposal becomes) and own the category; the threshold in force now is fixed on it.
 */

import { type Citizen, citizenPseudonymText } from '#domain/actor.ts';
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
import type { Pseudonym, Pseudonyms } from '#ports/pseudonyms.ts';
import { noEntity, refusal } from './errors.ts';

export interface ProposalDeps {
  proposals: ProposalStore;
  entities: EntityStore;
  clock: Clock;
}

/**
 * A verified citizen as the use cases see one: only pseudonyms per scope, never who it is (under
 * every key version, the current one first).
 */
export interface CitizenRef {
  pseudonymsFor(scope: string): Pseudonym[];
}

/** The citizen as a CitizenRef. */
export const citizenRef = (pseudonyms: Pseudonyms, citizen: Citizen): CitizenRef => ({
  pseudonymsFor: (scope) => pseudonyms.every(citizenPseudonymText(scope, citizen)),
});

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
  const [author] = command.author.pseudonymsFor(proposalCounterGroup(id)) as [Pseudonym];
  const proposal: ProposalRecord = {
    id,
    entityId: entity.id,
    title: input.title,
    description: input.description,
    ...(input.category ? { category: input.category } : {}),
    author: input.author,
    authorHash: author.hash,
    authorKeyVersion: author.keyVersion,
    threshold: thresholdOf(entity),
    status: 'open',
    createdAt: deps.clock.now().toISOString(),
  };
  await deps.proposals.create(proposal);
  return publicProposal(proposal, 0);
}

/**
 * ProposalStore in memory (shared/ports/proposals.ts): a proposal once per id; one support per
 * citizen under any key version (`duplicate` after, nothing counted); the count is the set of supporters; the index of
 * proposals to convert holds those marked reached and still open, oldest first; a proposal is
 * converted into one radicado for good (again with the same one: nothing; another: an error), or
 * failed for good (once; never a converted one).
 * An entity's proposals come newest first, with cursors of this listing only.
 */
import type { FieldIssue } from '#domain/issues.ts';
import type { ProposalRecord } from '#domain/participation/proposal.ts';
import type { ProposalPage, ProposalStore, SupportOutcome } from '#ports/proposals.ts';
import type { Pseudonym } from '#ports/pseudonyms.ts';
import { pageOf } from './cursor.ts';

const copy = <T>(value: T): T => structuredClone(value);

export class InMemoryProposalStore implements ProposalStore {
  private readonly proposals = new Map<string, ProposalRecord>();
  private readonly supporters = new Map<string, Set<string>>();

  async create(proposal: ProposalRecord): Promise<void> {
    if (this.proposals.has(proposal.id)) throw new Error(`proposal ${proposal.id} exists`);
    this.proposals.set(proposal.id, copy(proposal));
  }

  async get(id: string, _options?: { maxAgeMs?: number }): Promise<ProposalRecord | undefined> {
    const found = this.proposals.get(id);
    return found ? copy(found) : undefined;
  }

  async listByEntity(entityId: string, page: { limit: number; cursor?: string }): Promise<ProposalPage> {
    const entries = [...this.proposals.values()]
      .filter((p) => p.entityId === entityId)
      .map((p) => ({ key: `${p.createdAt}#${p.id}`, item: copy(p) }));
    return pageOf(entries, `proposals#${entityId}`, page, 'desc');
  }

  async addSupport(
    proposalId: string,
    supporter: readonly Pseudonym[],
    _at: string,
  ): Promise<SupportOutcome> {
    const set = this.supporters.get(proposalId) ?? new Set<string>();
    this.supporters.set(proposalId, set);
    if (supporter.some((p) => set.has(p.hash))) return 'duplicate';
    set.add(supporter[0]!.hash);
    return 'added';
  }

  async supports(proposalId: string, _options?: { consistent?: boolean }): Promise<number> {
    return this.supporters.get(proposalId)?.size ?? 0;
  }

  async supportsOf(proposalIds: readonly string[]): Promise<Map<string, number>> {
    return new Map(proposalIds.map((id) => [id, this.supporters.get(id)?.size ?? 0]));
  }

  async recount(proposalId: string): Promise<number> {
    return this.supporters.get(proposalId)?.size ?? 0;
  }

  async markReached(proposalId: string, at: string): Promise<void> {
    const p = this.proposals.get(proposalId);
    if (!p || p.radicado !== undefined || p.reachedAt !== undefined) return;
    this.proposals.set(proposalId, { ...p, reachedAt: at });
  }

  async listToConvert(limit: number): Promise<string[]> {
    return [...this.proposals.values()]
      .filter((p) => p.reachedAt !== undefined && p.status === 'open')
      .map((p) => ({ key: `${p.reachedAt}#${p.id}`, id: p.id }))
      .sort((a, b) => (a.key < b.key ? -1 : 1))
      .slice(0, limit)
      .map((e) => e.id);
  }

  async markConverted(proposalId: string, radicado: string, at: string): Promise<void> {
    const p = this.proposals.get(proposalId);
    if (!p || (p.radicado !== undefined && p.radicado !== radicado)) {
      throw new Error(`proposal ${proposalId} is converted into another case or does not exist`);
    }
    if (p.radicado !== undefined) return;
    this.proposals.set(proposalId, { ...p, status: 'converted', radicado, convertedAt: at });
  }

  async markFailed(proposalId: string, reason: readonly FieldIssue[], at: string): Promise<void> {
    const p = this.proposals.get(proposalId);
    if (p?.status !== 'open') return;
    this.proposals.set(proposalId, {
      ...p,
      status: 'conversion_failed',
      failure: copy([...reason]),
      failedAt: at,
    });
  }
}

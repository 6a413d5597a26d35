/**
 * What the proposal use cases need of storage (shared/adapters/dynamodb/proposalStore.ts).
 */
import type { FieldIssue } from '#domain/issues.ts';
import type { ProposalRecord } from '#domain/participation/proposal.ts';
import type { Pseudonym } from './pseudonyms.ts';

export type SupportOutcome = 'added' | 'duplicate';

export interface ProposalPage {
  items: ProposalRecord[];
  cursor?: string;
}

export interface ProposalStore {
  /** Stores a new proposal (its id must be new). */
  create(proposal: ProposalRecord): Promise<void>;
  /**
   * A proposal by id. `maxAgeMs` lets a hot path take a copy this process read at most that long
   * ago (a proposal's text and threshold never change; its status only moves forward).
   */
  get(id: string, options?: { maxAgeMs?: number }): Promise<ProposalRecord | undefined>;
  /** An entity's proposals, newest first. InvalidCursorError for a cursor this store did not give. */
  listByEntity(entityId: string, page: { limit: number; cursor?: string }): Promise<ProposalPage>;
  /**
   * Records one citizen's support and counts it, atomically: `duplicate` (nothing written) when
   * this citizen already supports it, however often the request is retried or raced, and under
   * whichever key version. `supporter`: their pseudonyms under every key version, the current one
   * (what is written) first.
   */
  addSupport(proposalId: string, supporter: readonly Pseudonym[], at: string): Promise<SupportOutcome>;
  /** The supports counted (sum of the counter shards). `consistent` for decisions (the threshold). */
  supports(proposalId: string, options?: { consistent?: boolean }): Promise<number>;
  /** The supports counted of several proposals (one read per 3 proposals). */
  supportsOf(proposalIds: readonly string[]): Promise<Map<string, number>>;
  /** The support items themselves, counted one by one (audit and tests: O(supports)). */
  recount(proposalId: string): Promise<number>;
  /**
   * Records that the proposal reached its threshold at `at` and puts it in the index of proposals
   * to convert. No-op when it is already there or converted.
   */
  markReached(proposalId: string, at: string): Promise<void>;
  /** Ids of proposals that reached their threshold and are not converted yet, oldest first. */
  listToConvert(limit: number): Promise<string[]>;
  /**
   * Marks the proposal converted into this case and takes it out of the index of proposals to
   * convert (idempotent; never to another radicado).
   */
  markConverted(proposalId: string, radicado: string, at: string): Promise<void>;
  /**
   * Marks the proposal's conversion failed for good (`conversion_failed`, with why) and takes it
   * out of the index of proposals to convert. No-op when it is converted or failed already.
   */
  markFailed(proposalId: string, reason: readonly FieldIssue[], at: string): Promise<void>;
}

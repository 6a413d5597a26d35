/**
 * Citizens' proposals to an entity and their supports. Pure.
 *
 * An identified citizen proposes something to an entity; other identified citizens support it,
 * one support each. When its supports reach the entity's threshold (taken when the proposal is
 * made: a proposal lives under the rule it was made under), the proposal becomes a petition
 * (Ley 1755/2015 art. 13: a request for an action of the authority is a petition) filed in the
 * entity's inbox on the `participation` channel, its author as the petitioner, on the legal
 * clock like any other case, exactly once. Public views carry neither the author nor supporters.
 * A proposal at its threshold whose conversion failed is retried by the Publish schedule, unless
 * the filing refused it (the entity is gone or no longer receives petitions): that is for good,
 * `conversion_failed` with the filing's reasons.
 */
import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import { PetitionerSchema } from '../case/filing.ts';
import { CATEGORY_IDS, type CategoryId } from '../categories.ts';
import type { Entity } from '../entity.ts';
import { ENTITY_ID } from '../entity.ts';
import { type FieldIssue, fieldIssue, pattern } from '../issues.ts';
import { plainText } from '../text.ts';

/** Supports that turn a proposal into a petition when the entity sets none. */
export const DEFAULT_PROPOSAL_THRESHOLD = 100;
export const MAX_PROPOSAL_THRESHOLD = 10_000_000;

/** `MINTIC-P-7K2M9Q4X`: the entity, then 8 Crockford base32 characters. */
export const PROPOSAL_ID = pattern(
  /^[A-Z][A-Z0-9_]{1,19}-P-[0-9A-HJKMNP-TV-Z]{8}$/,
  'el id de una propuesta, como MINTIC-P-7K2M9Q4X',
  'a proposal id such as MINTIC-P-7K2M9Q4X',
);
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export const PROPOSAL_STATUSES = ['open', 'converted', 'conversion_failed'] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

export const MAX_TITLE = 200;
export const MAX_DESCRIPTION = 10_000;

/** What a citizen sends to make a proposal. `author` is who files the petition when it converts. */
export const ProposalInputSchema = z.strictObject({
  entityId: z.string().regex(ENTITY_ID),
  title: plainText(MAX_TITLE),
  description: plainText(MAX_DESCRIPTION),
  category: z.enum(CATEGORY_IDS as [CategoryId, ...CategoryId[]]).optional(),
  author: PetitionerSchema,
});
export type ProposalInput = z.output<typeof ProposalInputSchema>;

/** A proposal as stored. `author` and `authorHash` are private: never in a public view. */
export interface ProposalRecord {
  id: string;
  entityId: string;
  title: string;
  description: string;
  category?: CategoryId;
  /** The petitioner of the petition it becomes. Personal data. */
  author: z.output<typeof PetitionerSchema>;
  /** The author's pseudonym in this proposal's scope (citizenPseudonymText), and its key version. */
  authorHash: string;
  authorKeyVersion?: number;
  /** Supports needed, fixed when the proposal was made. */
  threshold: number;
  status: ProposalStatus;
  createdAt: string;
  /**
   * When its supports were first seen at the threshold: from then until it is converted it waits
   * in the index of proposals to convert (a failed conversion is retried by the schedule).
   */
  reachedAt?: string;
  /** Once converted: the case it became. */
  radicado?: string;
  convertedAt?: string;
  /** Once its conversion failed for good: when, and why (the filing's refusal). */
  failedAt?: string;
  failure?: FieldIssue[];
}

/** What anyone may read of a proposal. */
export interface PublicProposal {
  id: string;
  entityId: string;
  title: string;
  description: string;
  category: string | null;
  status: ProposalStatus;
  supports: number;
  threshold: number;
  createdAt: string;
  radicado: string | null;
  convertedAt: string | null;
}

export function publicProposal(p: ProposalRecord, supports: number): PublicProposal {
  return {
    id: p.id,
    entityId: p.entityId,
    title: p.title,
    description: p.description,
    category: p.category ?? null,
    status: p.status,
    supports,
    threshold: p.threshold,
    createdAt: p.createdAt,
    radicado: p.radicado ?? null,
    convertedAt: p.convertedAt ?? null,
  };
}

export function newProposalId(entityId: string, random: Uint8Array = randomBytes(5)): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of random) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < 8) {
      out += CROCKFORD[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (out.length !== 8) throw new RangeError('a proposal id needs 5 random bytes');
  return `${entityId}-P-${out}`;
}

/** What the entity's settings add: it must receive petitions, and the category must be its own. */
export function checkProposalAgainstEntity(input: ProposalInput, entity: Entity): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!entity.kinds.includes('petition')) {
    issues.push(
      fieldIssue(
        'entityId',
        'not_allowed',
        `${entity.id} no recibe peticiones, así que tampoco propuestas: elija otra entidad`,
        `${entity.id} does not receive petitions, so no proposals`,
      ),
    );
  }
  if (input.category !== undefined && !entity.categories.includes(input.category)) {
    issues.push(
      fieldIssue(
        'category',
        'not_allowed',
        entity.categories.length > 0
          ? `no es una categoría de ${entity.id}: elija una de las suyas, ${entity.categories.join(', ')}`
          : `${entity.id} no tiene categorías: omita category`,
        `is not a category of ${entity.id} (GET /v1/public/entities lists them)`,
      ),
    );
  }
  return issues;
}

export function thresholdOf(entity: Entity): number {
  return entity.proposalThreshold ?? DEFAULT_PROPOSAL_THRESHOLD;
}

/** The sharded-counter group of a proposal and its counter. */
export const proposalCounterGroup = (id: string) => `proposal:${id}`;
export const SUPPORTS_COUNTER = 'supports';

/** The counters one new support adds. */
export function supportDeltas(): Record<string, number> {
  return { [SUPPORTS_COUNTER]: 1 };
}

export function reachedThreshold(p: Pick<ProposalRecord, 'threshold'>, supports: number): boolean {
  return supports >= p.threshold;
}

/**
 * The petition a proposal becomes. Deterministic (the same proposal always gives the same
 * filing), so that concurrent conversions are the same request and the filing's idempotency makes
 * them one case. It names the threshold reached, not the live count.
 */
export function proposalFiling(p: ProposalRecord) {
  return {
    entityId: p.entityId,
    kind: 'petition' as const,
    // MAX_TITLE + 21 characters: within a filing's 300.
    subject: `Propuesta ciudadana: ${p.title}`,
    description: `${p.description}\n\n— Propuesta ciudadana ${p.id}, presentada el ${p.createdAt}, que alcanzó ${p.threshold} apoyos de ciudadanos identificados.`,
    ...(p.category ? { category: p.category } : {}),
    channel: 'participation' as const,
    petitioner: p.author,
  };
}

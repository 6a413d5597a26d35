import { describe, expect, it } from 'vitest';
import { FilingSchema } from '#domain/case/filing.ts';
import type { Entity } from '#domain/entity.ts';
import {
  checkProposalAgainstEntity,
  DEFAULT_PROPOSAL_THRESHOLD,
  newProposalId,
  PROPOSAL_ID,
  type ProposalInput,
  ProposalInputSchema,
  type ProposalRecord,
  proposalFiling,
  publicProposal,
  reachedThreshold,
  thresholdOf,
} from '#domain/participation/proposal.ts';
import { demoEntities } from '#infra/local/seed.ts';

const author = {
  name: 'Luisa Rojas',
  idType: 'CC' as const,
  idNumber: '1032456789',
  email: 'luisa@example.com',
};

const record: ProposalRecord = {
  id: 'MINTIC-P-7K2M9Q4X',
  entityId: 'MINTIC',
  title: 'Internet en la biblioteca',
  description: 'Conectar la biblioteca municipal.',
  category: 'connectivity_programs',
  author,
  authorHash: 'a'.repeat(64),
  threshold: 3,
  status: 'open',
  createdAt: '2026-03-02T15:00:00.000Z',
};

const entity = (overrides: Partial<Entity> = {}): Entity => ({ ...demoEntities()[0]!, ...overrides });

describe('proposal ids', () => {
  it('are the entity, -P- and 8 Crockford base32 characters, from 5 random bytes', () => {
    expect(newProposalId('MINTIC', new Uint8Array([0, 0, 0, 0, 0]))).toBe('MINTIC-P-00000000');
    expect(newProposalId('MINTIC', new Uint8Array([255, 255, 255, 255, 255]))).toBe('MINTIC-P-ZZZZZZZZ');
    expect(newProposalId('MINTIC', new Uint8Array([0x08, 0x42, 0x10, 0x84, 0x21]))).toBe('MINTIC-P-11111111');
    for (let i = 0; i < 200; i++) expect(newProposalId('SUPERSALUD')).toMatch(PROPOSAL_ID);
    expect(() => newProposalId('MINTIC', new Uint8Array([1, 2]))).toThrow(RangeError);
  });
});

describe('proposal rules', () => {
  it('takes the threshold of the entity, 100 by default', () => {
    expect(thresholdOf(entity({ proposalThreshold: 7 }))).toBe(7);
    const { proposalThreshold: _none, ...without } = entity();
    expect(thresholdOf(without as Entity)).toBe(DEFAULT_PROPOSAL_THRESHOLD);
    expect(DEFAULT_PROPOSAL_THRESHOLD).toBe(100);
    expect(reachedThreshold(record, 2)).toBe(false);
    expect(reachedThreshold(record, 3)).toBe(true);
    expect(reachedThreshold(record, 4)).toBe(true);
  });

  it('needs an entity that receives petitions and owns the category', () => {
    const input = ProposalInputSchema.parse({
      entityId: 'MINTIC',
      title: 't',
      description: 'd',
      category: 'spectrum',
      author,
    }) satisfies ProposalInput;
    expect(checkProposalAgainstEntity(input, entity())).toEqual([]);
    expect(checkProposalAgainstEntity({ ...input, category: 'medicines' }, entity())).toEqual([
      expect.objectContaining({ field: 'category' }),
    ]);
    expect(checkProposalAgainstEntity(input, entity({ kinds: ['complaint'] }))).toEqual([
      expect.objectContaining({ field: 'entityId' }),
    ]);
  });

  it('refuses an author without a way to answer, and unknown fields', () => {
    const base = { entityId: 'MINTIC', title: 't', description: 'd' };
    const noContact = ProposalInputSchema.safeParse({ ...base, author: { ...author, email: undefined } });
    expect(noContact.success).toBe(false);
    expect(ProposalInputSchema.safeParse({ ...base, author, supports: 1000 }).success).toBe(false);
  });

  it('shows no personal data publicly', () => {
    const view = publicProposal(record, 5);
    expect(view).toEqual({
      id: record.id,
      entityId: 'MINTIC',
      title: record.title,
      description: record.description,
      category: 'connectivity_programs',
      status: 'open',
      supports: 5,
      threshold: 3,
      createdAt: record.createdAt,
      radicado: null,
      convertedAt: null,
    });
    expect(JSON.stringify(view)).not.toMatch(/Luisa|1032456789|luisa@|aaaa/);
  });

  it('becomes the same valid petition however often it is built (one idempotent filing)', () => {
    const a = proposalFiling(record);
    const b = proposalFiling({ ...record });
    expect(a).toEqual(b);
    const filing = FilingSchema.parse(a);
    expect(filing).toMatchObject({
      entityId: 'MINTIC',
      kind: 'petition',
      channel: 'participation',
      category: 'connectivity_programs',
      petitioner: author,
      subject: 'Propuesta ciudadana: Internet en la biblioteca',
    });
    expect(filing.description).toContain('MINTIC-P-7K2M9Q4X');
    expect(filing.description).toContain('3 apoyos');
    // The longest title still fits a filing's subject.
    expect(FilingSchema.safeParse(proposalFiling({ ...record, title: 'x'.repeat(200) })).success).toBe(true);
  });
});

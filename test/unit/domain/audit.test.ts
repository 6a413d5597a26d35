import { describe, expect, it } from 'vitest';
import { chainEvent, GENESIS_HASH, verifyChain } from '#domain/case/audit.ts';

function story() {
  const e1 = chainEvent(undefined, {
    radicado: 'MINTIC-2026-000001',
    type: 'filed',
    at: '2026-11-23T10:00:00.000Z',
    actor: { kind: 'citizen' },
    data: { a: 1 },
  });
  const e2 = chainEvent(e1, {
    radicado: 'MINTIC-2026-000001',
    type: 'routed',
    at: '2026-11-23T10:00:01.000Z',
    actor: { kind: 'system' },
    data: { office: 'x' },
  });
  return [e1, e2];
}

describe('audit chain', () => {
  it('links each event to the previous hash, starting from the genesis hash', () => {
    const [e1, e2] = story();
    expect(e1!.prevHash).toBe(GENESIS_HASH);
    expect(e2!.prevHash).toBe(e1!.hash);
    expect(e2!.seq).toBe(2);
    expect(verifyChain(story())).toEqual({ ok: true });
  });

  it('catches an edited event, a broken link and a missing event', () => {
    const edited = story();
    edited[0] = { ...edited[0]!, data: { a: 2 } };
    expect(verifyChain(edited)).toMatchObject({ ok: false, brokenAt: 1 });
    const relinked = story();
    relinked[1] = { ...relinked[1]!, prevHash: GENESIS_HASH };
    expect(verifyChain(relinked)).toMatchObject({ ok: false, brokenAt: 2 });
    expect(verifyChain([story()[1]!])).toMatchObject({ ok: false, brokenAt: 1 });
  });
});

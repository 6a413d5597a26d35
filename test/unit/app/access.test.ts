/** Who may work on what (access.ts) and conditional writes (preconditions.ts). */
import { describe, expect, it } from 'vitest';
import { inEntity, requireDuty } from '#app/access.ts';
import { UseCaseError } from '#app/errors.ts';
import { requireIfMatch, stale } from '#app/preconditions.ts';
import { type Duty, ROLES, type Role } from '#domain/actor.ts';
import { staff } from './world.ts';

/** What the roles may do, written out (not read back from DUTIES: the test pins the table). */
const EXPECTED: Record<Duty, readonly Role[]> = {
  caseWork: ['officer', 'supervisor', 'admin'],
  oversight: ['supervisor', 'admin', 'internal_control'],
  supervision: ['supervisor', 'admin'],
  administration: ['admin'],
  participation: ['communicator', 'admin'],
};

function refusal(run: () => unknown): UseCaseError | undefined {
  try {
    run();
    return undefined;
  } catch (e) {
    if (e instanceof UseCaseError) return e;
    throw e;
  }
}

describe('requireDuty', () => {
  for (const [duty, allowed] of Object.entries(EXPECTED) as [Duty, readonly Role[]][]) {
    it(`${duty}: ${allowed.join(', ')} only`, () => {
      for (const role of ROLES) {
        const error = refusal(() => requireDuty(staff([role]), duty));
        if (allowed.includes(role)) expect(error, role).toBeUndefined();
        else expect(error, role).toMatchObject({ code: 'forbidden' });
      }
    });
  }

  it('lets one role of several carry the duty, and names the roles when it refuses', () => {
    expect(refusal(() => requireDuty(staff(['communicator', 'supervisor']), 'supervision'))).toBeUndefined();
    const refused = refusal(() => requireDuty(staff(['officer']), 'administration'));
    expect(refused?.detail.es).toContain('admin');
    expect(refused?.detail.en).toContain('admin');
  });
});

describe('inEntity', () => {
  const notFound = () => new UseCaseError('not_found', { es: 'no existe', en: 'no such thing' });

  it('gives the actor’s own entity’s thing, and not-found for another entity’s or none', () => {
    // Prepare
    const actor = staff(['supervisor']);
    const own = { entityId: 'MINTIC', n: 1 };

    // Act
    const found = inEntity(actor, own, notFound);
    const other = refusal(() => inEntity(actor, { entityId: 'SUPERSALUD' }, notFound));
    const none = refusal(() => inEntity(actor, undefined, notFound));

    // Assess
    expect(found).toBe(own);
    expect(other).toMatchObject({ code: 'not_found', message: 'no such thing' });
    expect(none).toMatchObject({ code: 'not_found', message: 'no such thing' });
  });
});

describe('requireIfMatch', () => {
  const current = '"v3"';
  const caseX = { es: 'el caso X', en: 'case X' };

  it('asks for an If-Match when there is none (428)', () => {
    for (const missing of [undefined, '', '   ']) {
      expect(refusal(() => requireIfMatch(missing, current, caseX))).toMatchObject({
        code: 'precondition_required',
        issues: [{ field: 'header.if-match', code: 'required' }],
      });
    }
  });

  it('refuses what is not an entity tag (400), even next to a good one', () => {
    for (const malformed of ['v3', '"v3', 'v3"', '"v3", v4', 'W/v3']) {
      expect(
        refusal(() => requireIfMatch(malformed, current, caseX)),
        malformed,
      ).toMatchObject({
        code: 'bad_request',
      });
    }
  });

  it('refuses another tag, and a weak one, as stale (412) with the current tag', () => {
    for (const old of ['"v2"', 'W/"v3"']) {
      expect(
        refusal(() => requireIfMatch(old, current, caseX)),
        old,
      ).toMatchObject({
        code: 'precondition_failed',
        problem: { type: 'stale', currentTag: current },
      });
    }
  });

  it('accepts the current tag, alone or in a list, and *', () => {
    for (const good of ['"v3"', '"v2", "v3"', '*', ' "v3" ']) {
      expect(
        refusal(() => requireIfMatch(good, current, caseX)),
        good,
      ).toBeUndefined();
    }
  });

  it('stale() says what changed and carries the current tag', () => {
    expect(stale(caseX, '"v9"')).toMatchObject({
      code: 'precondition_failed',
      message: expect.stringContaining('case X changed'),
      detail: { es: expect.stringMatching(/^El caso X cambió/) },
      issues: [{ field: 'header.if-match', code: 'conflict' }],
      problem: { currentTag: '"v9"' },
    });
  });
});

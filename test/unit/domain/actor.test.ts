import { describe, expect, it } from 'vitest';
import {
  type Actor,
  actorFromClaims,
  actorLogFields,
  belongsTo,
  canActOnOffice,
  groupsFor,
  hasRole,
  InvalidClaimsError,
  type InvalidClaimsReason,
} from '#domain/actor.ts';

const SUB = '8f6c1d2e-0000-4000-8000-000000000001';

function claims(groups: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { sub: SUB, 'cognito:groups': groups, token_use: 'access', ...extra };
}

function reasonOf(input: Record<string, unknown>): InvalidClaimsReason | undefined {
  try {
    actorFromClaims(input);
    return undefined;
  } catch (error) {
    if (error instanceof InvalidClaimsError) return error.reason;
    throw error;
  }
}

describe('actorFromClaims', () => {
  it('reads entity, roles and offices from cognito:groups', () => {
    // Prepare
    const input = claims(['office:conectividad', 'role:officer', 'entity:MINTIC', 'office:espectro']);
    // Act
    const actor = actorFromClaims(input);
    // Assess
    expect(actor).toEqual({
      subject: SUB,
      entityId: 'MINTIC',
      roles: ['officer'],
      offices: ['conectividad', 'espectro'],
    });
  });

  it('keeps roles in a fixed order without duplicates, and sorts offices', () => {
    const actor = actorFromClaims(
      claims([
        'role:admin',
        'role:officer',
        'role:admin',
        'entity:MINTIC',
        'office:b',
        'office:a',
        'office:b',
      ]),
    );
    expect(actor.roles).toEqual(['officer', 'admin']);
    expect(actor.offices).toEqual(['a', 'b']);
  });

  it('accepts a supervisor without offices', () => {
    expect(actorFromClaims(claims(['entity:SUPERSALUD', 'role:supervisor']))).toMatchObject({
      entityId: 'SUPERSALUD',
      roles: ['supervisor'],
      offices: [],
    });
  });

  it('ignores groups of other applications', () => {
    const actor = actorFromClaims(claims(['entity:MINTIC', 'role:officer', 'us-east-1_Google', 'Admins']));
    expect(actor.roles).toEqual(['officer']);
  });

  it.each([
    ['no sub', { 'cognito:groups': ['entity:MINTIC', 'role:officer'] }, 'missing_subject'],
    ['an empty sub', claims(['entity:MINTIC', 'role:officer'], { sub: '  ' }), 'missing_subject'],
    ['a numeric sub', claims(['entity:MINTIC', 'role:officer'], { sub: 42 }), 'missing_subject'],
    ['no groups claim', { sub: SUB }, 'missing_groups'],
    ['groups as a string', claims('entity:MINTIC'), 'missing_groups'],
    ['a non-string group', claims(['entity:MINTIC', 'role:officer', 7]), 'missing_groups'],
    ['no entity', claims(['role:officer', 'office:conectividad']), 'no_entity'],
    ['two entities', claims(['entity:MINTIC', 'entity:SUPERSALUD', 'role:officer']), 'several_entities'],
    ['no role', claims(['entity:MINTIC', 'office:conectividad']), 'no_role'],
    ['an unknown role', claims(['entity:MINTIC', 'role:janitor']), 'invalid_group'],
    ['a malformed entity', claims(['entity:mintic', 'role:officer']), 'invalid_group'],
    ['an empty entity', claims(['entity:', 'role:officer']), 'invalid_group'],
    [
      'a malformed office',
      claims(['entity:MINTIC', 'role:officer', 'office:Conectividad!']),
      'invalid_group',
    ],
  ] as const)('refuses %s', (_what, input, reason) => {
    expect(reasonOf(input as Record<string, unknown>)).toBe(reason);
  });

  it('never quotes a claim value in its message', () => {
    try {
      actorFromClaims(claims(['entity:MINTIC', 'role:<script>secret</script>']));
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).not.toContain('secret');
    }
  });

  it('reads back what groupsFor writes', () => {
    const groups = groupsFor({
      entityId: 'MEDELLIN',
      roles: ['officer', 'supervisor'],
      offices: ['movilidad'],
    });
    expect(groups).toEqual(['entity:MEDELLIN', 'role:officer', 'role:supervisor', 'office:movilidad']);
    expect(actorFromClaims(claims(groups))).toMatchObject({
      entityId: 'MEDELLIN',
      roles: ['officer', 'supervisor'],
      offices: ['movilidad'],
    });
  });
});

describe('who may do what', () => {
  const actor = (roles: Actor['roles'], offices: string[] = []): Actor => ({
    subject: SUB,
    entityId: 'MINTIC',
    roles,
    offices,
  });

  it('an officer acts on its own offices only', () => {
    const officer = actor(['officer'], ['conectividad']);
    expect(canActOnOffice(officer, 'conectividad')).toBe(true);
    expect(canActOnOffice(officer, 'espectro')).toBe(false);
  });

  it.each([['supervisor'], ['admin']] as const)('a %s acts on every office of its entity', (role) => {
    expect(canActOnOffice(actor([role]), 'espectro')).toBe(true);
  });

  it('a communicator acts on no inbox, and office groups alone give nothing', () => {
    expect(canActOnOffice(actor(['communicator'], ['conectividad']), 'conectividad')).toBe(false);
  });

  it('hasRole and belongsTo', () => {
    const a = actor(['officer', 'admin']);
    expect(hasRole(a, 'admin')).toBe(true);
    expect(hasRole(a, 'supervisor')).toBe(false);
    expect(belongsTo(a, 'MINTIC')).toBe(true);
    expect(belongsTo(a, 'SUPERSALUD')).toBe(false);
  });

  it('logs subject, entity and roles, nothing else', () => {
    expect(actorLogFields(actor(['officer'], ['conectividad']))).toEqual({
      subject: SUB,
      entityId: 'MINTIC',
      roles: ['officer'],
    });
  });
});

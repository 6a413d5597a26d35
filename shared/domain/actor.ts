/**
 * Who is acting on a case: an entity's officer, read from a verified token's claims. Pure.
 *
 * Claim convention (works in Cognito access and id tokens alike, without custom attributes, and
 * only a user pool administrator can change it: users cannot add themselves to groups):
 *   sub              the subject (Cognito user id)
 *   cognito:groups   `entity:<ENTITY_ID>`  exactly one
 *                    `role:<role>`         one or more of officer, supervisor, communicator, admin,
 *                                          internal_control (the office of internal control)
 *                    `office:<officeId>`   zero or more (the offices an officer works for)
 * Groups without one of these prefixes are ignored (a pool may hold groups of other apps); a
 * group with one of these prefixes and an invalid value is an error, so a typo fails closed.
 */
import { ENTITY_ID, OFFICE_ID } from './entity.ts';

export const ROLES = ['officer', 'supervisor', 'communicator', 'admin', 'internal_control'] as const;
export type Role = (typeof ROLES)[number];

export interface Actor {
  /** The token's `sub`: stable, opaque, no personal data. */
  subject: string;
  entityId: string;
  /** Distinct, in ROLES order. */
  roles: Role[];
  /** Distinct, sorted. */
  offices: string[];
}

export const GROUPS_CLAIM = 'cognito:groups';
export const GROUP_PREFIX = { entity: 'entity:', role: 'role:', office: 'office:' } as const;

export type InvalidClaimsReason =
  | 'missing_subject'
  | 'missing_groups'
  | 'no_entity'
  | 'several_entities'
  | 'no_role'
  | 'invalid_group';

/** The claims do not describe an actor of Urna (the token itself may be perfectly valid). */
export class InvalidClaimsError extends Error {
  constructor(
    readonly reason: InvalidClaimsReason,
    message: string,
  ) {
    super(message);
    this.name = 'InvalidClaimsError';
  }
}

function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** The groups that give these entity, roles and offices (what an administrator assigns). */
export function groupsFor(input: {
  entityId: string;
  roles: readonly Role[];
  offices?: readonly string[];
}): string[] {
  return [
    `${GROUP_PREFIX.entity}${input.entityId}`,
    ...input.roles.map((r) => `${GROUP_PREFIX.role}${r}`),
    ...(input.offices ?? []).map((o) => `${GROUP_PREFIX.office}${o}`),
  ];
}

/**
 * The actor the (already verified) claims describe. Throws InvalidClaimsError naming what is
 * wrong; the message never quotes a claim value.
 */
export function actorFromClaims(claims: Readonly<Record<string, unknown>>): Actor {
  const subject = claims.sub;
  if (typeof subject !== 'string' || subject.trim() === '' || subject.length > 256) {
    throw new InvalidClaimsError('missing_subject', 'the token has no subject (sub)');
  }
  const groups = claims[GROUPS_CLAIM];
  if (!Array.isArray(groups) || groups.some((g) => typeof g !== 'string')) {
    throw new InvalidClaimsError('missing_groups', `the token has no ${GROUPS_CLAIM} list`);
  }
  const entities = new Set<string>();
  const roles = new Set<Role>();
  const offices = new Set<string>();
  for (const group of groups as string[]) {
    if (group.startsWith(GROUP_PREFIX.entity)) {
      const id = group.slice(GROUP_PREFIX.entity.length);
      if (!ENTITY_ID.test(id)) throw new InvalidClaimsError('invalid_group', 'an entity group is malformed');
      entities.add(id);
    } else if (group.startsWith(GROUP_PREFIX.role)) {
      const role = group.slice(GROUP_PREFIX.role.length);
      if (!isRole(role)) throw new InvalidClaimsError('invalid_group', 'a role group names no known role');
      roles.add(role);
    } else if (group.startsWith(GROUP_PREFIX.office)) {
      const id = group.slice(GROUP_PREFIX.office.length);
      if (!OFFICE_ID.test(id)) throw new InvalidClaimsError('invalid_group', 'an office group is malformed');
      offices.add(id);
    }
  }
  if (entities.size === 0) throw new InvalidClaimsError('no_entity', 'the account belongs to no entity');
  if (entities.size > 1) {
    throw new InvalidClaimsError('several_entities', 'the account belongs to more than one entity');
  }
  if (roles.size === 0) throw new InvalidClaimsError('no_role', 'the account has no role');
  return {
    subject,
    entityId: [...entities][0]!,
    roles: ROLES.filter((r) => roles.has(r)),
    offices: [...offices].sort(),
  };
}

/**
 * Who may do what, by role: the routes' access (shared/http/routes) and the use cases' checks
 * both read this table, so the two never disagree.
 */
export const DUTIES = {
  /** Read and act on the cases of one's offices (supervisors and admins: of the whole entity). */
  caseWork: ['officer', 'supervisor', 'admin'],
  /** The entity's PQRSD report to its management (Ley 1474 art. 76): its office of internal control too. */
  oversight: ['supervisor', 'admin', 'internal_control'],
  /** Verify audit trails, read the entity's settings. */
  supervision: ['supervisor', 'admin'],
  /** Change the entity's settings. */
  administration: ['admin'],
  /** Run consultations: create, open, answer comments, publish. */
  participation: ['communicator', 'admin'],
} as const satisfies Record<string, readonly Role[]>;
export type Duty = keyof typeof DUTIES;

/** Whether one of the actor's roles carries the duty. */
export function mayDo(actor: Actor, duty: Duty): boolean {
  return actor.roles.some((r) => (DUTIES[duty] as readonly Role[]).includes(r));
}

/** A citizen identified by the citizens' identity provider: the issuer and its stable subject. Never logged. */
export interface Citizen {
  issuer: string;
  subject: string;
}

/**
 * What stands for a citizen within one scope (`proposal:<id>`, `consultation:<id>`, CASES_SCOPE):
 * issuer, subject and scope, stored only as its pseudonym (the Pseudonyms port: HMAC-SHA-256 under
 * the pseudonym key). Stable (one support each), unlinkable across scopes from stored data, and
 * not confirmable without the key (a guessable subject, a document number, cannot be checked).
 */
export function citizenPseudonymText(scope: string, citizen: Citizen): string {
  return `citizen\n${scope}\n${citizen.issuer}\n${citizen.subject}`;
}

/** The scope of an identified citizen's list of cases. */
export const CASES_SCOPE = 'cases';

export function hasRole(actor: Actor, role: Role): boolean {
  return actor.roles.includes(role);
}

/** Whether the actor belongs to this entity (another entity's cases do not exist for it: 404). */
export function belongsTo(actor: Actor, entityId: string): boolean {
  return actor.entityId === entityId;
}

/**
 * Whether the actor may see and act on an office's cases, within its own entity (check that
 * first with `belongsTo`): supervisors and admins on the whole entity, officers on their own
 * offices, communicators on none.
 */
export function canActOnOffice(actor: Actor, office: string): boolean {
  if (hasRole(actor, 'supervisor') || hasRole(actor, 'admin')) return true;
  return hasRole(actor, 'officer') && actor.offices.includes(office);
}

/** What of an actor may be logged: never the token or any other claim. */
export function actorLogFields(actor: Actor): { subject: string; entityId: string; roles: Role[] } {
  return { subject: actor.subject, entityId: actor.entityId, roles: actor.roles };
}

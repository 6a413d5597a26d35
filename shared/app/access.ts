/**
 * Who may work on what, checked by the use cases from the domain's role table (DUTIES): the
 * routes declare the same duties, so the HTTP layer refuses first and the use cases hold the rule
 * for every other caller. Another entity's things do not exist for an actor (404, not 403).
 */
import { type Actor, belongsTo, DUTIES, type Duty, mayDo } from '#domain/actor.ts';
import { UseCaseError } from './errors.ts';

export function requireDuty(actor: Actor, duty: Duty): void {
  if (!mayDo(actor, duty)) {
    const roles = DUTIES[duty].join(', ');
    throw new UseCaseError('forbidden', {
      es: `Esto requiere uno de estos roles: ${roles}`,
      en: `this needs one of the roles ${roles}`,
    });
  }
}

/** The thing when it is the actor's entity's; `notFound` otherwise (absent or another entity's). */
export function inEntity<T extends { entityId: string }>(
  actor: Actor,
  thing: T | undefined,
  notFound: () => UseCaseError,
): T {
  if (!thing || !belongsTo(actor, thing.entityId)) throw notFound();
  return thing;
}

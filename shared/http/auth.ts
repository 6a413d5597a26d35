/**
 * Who is calling an officer route. Until JWT auth lands (officer issue), only a local development
 * identity exists: the header X-Urna-Dev-Entity, honoured only where URNA_DEV_AUTH=true (the local
 * runtime sets it; a deployed stack does not, so there these routes answer 401).
 */

import { ENTITY_ID } from '#domain/entity.ts';
import { optional } from '#shared/config.ts';
import { HttpProblem } from './problem.ts';

export interface Actor {
  entityId: string;
}

export function officerActor(headers: Record<string, string | undefined>): Actor {
  const entityId = headers['x-urna-dev-entity'];
  if (optional('URNA_DEV_AUTH') !== 'true' || !entityId || !ENTITY_ID.test(entityId)) {
    throw new HttpProblem(401, 'officer routes need an identity (locally: the X-Urna-Dev-Entity header)');
  }
  return { entityId };
}

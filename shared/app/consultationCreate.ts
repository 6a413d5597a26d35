/** A communicator creates a consultation of their own entity, in draft. */
import { type Actor, belongsTo } from '#domain/actor.ts';
import { newConsultationId } from '#domain/participation/comment.ts';
import {
  type Consultation,
  type ConsultationInput,
  consultationAt,
  newConsultation,
  periodIssue,
} from '#domain/participation/consultation.ts';
import type { Clock, EntityStore } from '#ports/index.ts';
import type { ConsultationStore } from '#ports/participation.ts';
import { inEntity, requireDuty } from './access.ts';
import { invalid, noEntity, refusal, UseCaseError } from './errors.ts';

export interface ConsultationDeps {
  consultations: ConsultationStore;
  entities: EntityStore;
  clock: Clock;
}

export const noConsultation = (id: string) =>
  new UseCaseError('not_found', { es: `No existe la consulta ${id}`, en: `no consultation ${id}` });

/** The consultation, if it is the actor's entity's; another entity's is not found. */
export async function ownConsultation(
  deps: Pick<ConsultationDeps, 'consultations'>,
  actor: Actor,
  id: string,
): Promise<Consultation> {
  return inEntity(actor, await deps.consultations.get(id), () => noConsultation(id));
}

/** The actor's entity's consultation as it stands now (closed once its `closesAt` has passed). */
export async function ownConsultationNow(
  deps: Pick<ConsultationDeps, 'consultations' | 'clock'>,
  actor: Actor,
  id: string,
): Promise<Consultation> {
  return consultationAt(await ownConsultation(deps, actor, id), deps.clock.now());
}

export async function createConsultation(
  deps: ConsultationDeps,
  actor: Actor,
  input: ConsultationInput,
): Promise<Consultation> {
  requireDuty(actor, 'participation');
  if (!belongsTo(actor, input.entityId)) {
    throw invalid(
      'entityId',
      'mismatch',
      `debe ser su propia entidad, ${actor.entityId}: solo puede crear consultas de ella`,
      'must be your entity',
      'forbidden',
    );
  }
  if (!(await deps.entities.get(input.entityId))) {
    throw noEntity('entityId', input.entityId);
  }
  const now = deps.clock.now();
  // There is no editing a draft's period: one that has ended could never be opened.
  if (Date.parse(input.closesAt) <= now.getTime()) {
    throw invalid(
      'closesAt',
      'too_late',
      'ya pasó: fije un cierre futuro',
      'has already passed: set a closing in the future',
    );
  }
  const issue = periodIssue(input, Date.parse(input.opensAt) > now.getTime() ? input.opensAt : now);
  if (issue) throw refusal([issue]);
  const consultation = newConsultation(input, newConsultationId(input.entityId), actor.subject, now);
  await deps.consultations.create(consultation);
  return consultation;
}

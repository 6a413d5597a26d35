/**
 * A consultation's workflow: a communicator opens it, answers it (every comment disposed) and
 * publishes its global report; the scheduler closes it at closesAt.
 */
import type { Actor } from '#domain/actor.ts';
import {
  applyAction,
  type Consultation,
  type ConsultationAction,
} from '#domain/participation/consultation.ts';
import { disposedCount } from '#domain/participation/results.ts';
import type { Clock } from '#ports/index.ts';
import type { ConsultationCounters, ConsultationStore } from '#ports/participation.ts';
import { requireDuty } from './access.ts';
import { type ConsultationDeps, ownConsultation } from './consultationCreate.ts';
import { refusal, UseCaseError } from './errors.ts';

async function act(
  deps: { consultations: ConsultationStore; counters: ConsultationCounters; clock: Clock },
  c: Consultation,
  action: ConsultationAction,
): Promise<Consultation> {
  const disposed =
    action === 'answer' || action === 'publish'
      ? disposedCount(c, await deps.counters.totals(c.id, { consistent: true }))
      : 0;
  const t = applyAction(c, action, deps.clock.now(), { disposed });
  // The schedule tallies the comments within minutes of the close: a client may retry in one.
  if (!t.ok) throw refusal([t.issue], t.code, t.tallying ? { retryAfterSeconds: 60 } : {});
  if (!(await deps.consultations.save(t.next))) {
    throw new UseCaseError('conflict', {
      es: 'La consulta cambió mientras tanto: consúltela de nuevo y reintente',
      en: 'the consultation changed meanwhile: read it again and retry',
    });
  }
  return t.next;
}

export async function actOnConsultation(
  deps: ConsultationDeps & { counters: ConsultationCounters },
  actor: Actor,
  id: string,
  action: Exclude<ConsultationAction, 'close'>,
): Promise<Consultation> {
  requireDuty(actor, 'participation');
  return act(deps, await ownConsultation(deps, actor, id), action);
}

/** The scheduler's part: closes every open consultation whose closesAt has passed. */
export async function closeDueConsultations(
  deps: { consultations: ConsultationStore; counters: ConsultationCounters; clock: Clock },
  limit = 100,
): Promise<string[]> {
  const ids = await deps.consultations.listOpenClosingBefore(deps.clock.now().toISOString(), limit);
  const closed: string[] = [];
  for (const id of ids) {
    const c = await deps.consultations.get(id);
    if (c?.status !== 'open') continue;
    try {
      closed.push((await act(deps, c, 'close')).id);
    } catch (error) {
      // Changed meanwhile (another tick closed it): the next tick sees it as it is.
      if (!(error instanceof UseCaseError)) throw error;
    }
  }
  return closed;
}

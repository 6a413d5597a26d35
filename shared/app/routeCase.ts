/**
 * Route a received case to an office's inbox by the entity's rules (idempotent: a case already
 * routed is left as it is, so redeliveries and the outbox sweep are harmless).
 */
import { chainEvent } from '#domain/case/audit.ts';
import { routeCase as decide } from '#domain/entity.ts';
import type { CaseStore, Clock, EntityStore } from '#ports/index.ts';

export interface RouteCaseDeps {
  cases: CaseStore;
  entities: EntityStore;
  clock: Clock;
}

export type RouteOutcome = 'routed' | 'already_routed' | 'unknown_case';

export async function routeCase(deps: RouteCaseDeps, radicado: string): Promise<RouteOutcome> {
  const record = await deps.cases.get(radicado);
  if (!record) return 'unknown_case';
  if (record.status !== 'received') return 'already_routed';
  const entity = await deps.entities.get(record.entityId);
  if (!entity) throw new Error(`case ${radicado} names an entity that does not exist`);
  const others =
    record.category && !(entity.categories as string[]).includes(record.category)
      ? await deps.entities.list()
      : [];
  const decision = decide(
    entity,
    {
      kind: record.kind,
      category: record.category,
      subject: record.subject,
      description: record.description,
    },
    others,
  );
  const at = deps.clock.now().toISOString();
  const event = chainEvent(
    { seq: record.lastEventSeq, hash: record.lastEventHash },
    {
      radicado,
      type: 'routed',
      at,
      actor: { kind: 'system', id: 'router' },
      data: {
        office: decision.office,
        rule: decision.rule,
        ...(decision.forwardSuggested
          ? { forwardSuggested: decision.forwardSuggested, forwardBy: record.forwardBy }
          : {}),
      },
    },
  );
  return (await deps.cases.markRouted(record, decision, event, at)) ? 'routed' : 'already_routed';
}

/**
 * The routing outbox: cases filed more than `graceSeconds` ago and still unrouted (the process
 * died between the write and the send, or the send failed) get their routing message again.
 */
export async function relayUnrouted(
  deps: { cases: CaseStore; routing: { send(m: { radicado: string }[]): Promise<void> }; clock: Clock },
  graceSeconds = 60,
  limit = 500,
): Promise<number> {
  const before = new Date(deps.clock.now().getTime() - graceSeconds * 1000).toISOString();
  const radicados = await deps.cases.listUnrouted(before, limit);
  if (radicados.length > 0) await deps.routing.send(radicados.map((radicado) => ({ radicado })));
  return radicados.length;
}

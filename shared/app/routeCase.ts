/**
 * Route a received case to an office's inbox by the entity's rules (idempotent: a case already
 * routed is left as it is, so redeliveries and the outbox sweep are harmless).
 */
import type { CaseRecord } from '#domain/case/case.ts';
import { routeCase as decide } from '#domain/entity.ts';
import type { CaseStore, Clock, EntityStore } from '#ports/index.ts';
import { type CaseEdit, changeCase } from './caseChange.ts';

export interface RouteCaseDeps {
  cases: CaseStore;
  entities: EntityStore;
  clock: Clock;
}

export type RouteOutcome = 'routed' | 'already_routed' | 'unknown_case';

/** The routing of a received case into its office's inbox (undefined: it is routed already). */
async function routing(deps: RouteCaseDeps, record: CaseRecord): Promise<CaseEdit | undefined> {
  if (record.status !== 'received') return undefined;
  const entity = await deps.entities.get(record.entityId);
  if (!entity) throw new Error(`case ${record.radicado} names an entity that does not exist`);
  const outside =
    !entity.kinds.includes(record.kind) ||
    (record.category !== undefined && !(entity.categories as string[]).includes(record.category));
  const others = outside ? await deps.entities.list() : [];
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
  return {
    event: {
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
    after: {
      ...record,
      status: 'routed',
      office: decision.office,
      routedAt: at,
      ...(decision.forwardSuggested ? { forwardSuggested: decision.forwardSuggested } : {}),
    },
  };
}

export async function routeCase(deps: RouteCaseDeps, radicado: string): Promise<RouteOutcome> {
  let outcome = await changeCase(deps.cases, radicado, (record) => routing(deps, record));
  // Changed meanwhile (another delivery routed it): read again, and route it if it still is not.
  if (outcome === 'stale')
    outcome = await changeCase(deps.cases, radicado, (record) => routing(deps, record));
  if (outcome === 'stale') throw new Error(`case ${radicado} keeps changing: not routed`);
  return outcome === 'not_found' ? 'unknown_case' : outcome === 'changed' ? 'routed' : 'already_routed';
}

/**
 * The routing outbox's backstop: cases filed more than `graceSeconds` ago and still unrouted (the
 * Outbox pipe never delivered them) get their routing message. Why: docs/adr/0002-table-stream-as-outbox.md
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

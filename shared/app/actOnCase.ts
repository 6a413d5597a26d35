/**
 * An officer acts on a case (issue 5): the action is checked by the lifecycle (state machine,
 * roles, every date rule through the legal clock), then the case and its audit event are written
 * in one transaction on the condition that nobody changed the case since the officer read it
 * (If-Match / ETag: the case's version). A forward also files the linked case at the competent
 * entity, in that same transaction.
 */
import type { Actor } from '#domain/actor.ts';
import { canActOnOffice, hasRole } from '#domain/actor.ts';
import { applyLifecycle, type CaseRecord, lifecycleSeedOf } from '#domain/case/case.ts';
import type { Filing } from '#domain/case/filing.ts';
import { decide, type LifecycleAction, LifecycleActionSchema, lifecycleOf } from '#domain/case/lifecycle.ts';
import type { DocumentRef } from '#domain/documents.ts';
import { type Entity, termClassFor } from '#domain/entity.ts';
import { issuesOf } from '#domain/issues.ts';
import type { CaseStore, Clock, EntityStore } from '#ports/index.ts';
import { StaleCaseError } from '#ports/index.ts';
import { carriedDocuments, type DocumentsProvider, withDocuments } from './acceptDocuments.ts';
import { inEntity, requireDuty } from './access.ts';
import { caseChange } from './caseChange.ts';
import { invalid, noEntity, refusal, UseCaseError } from './errors.ts';
import { type FileCaseDeps, fileCase } from './fileCase.ts';
import { requireIfMatch, stale } from './preconditions.ts';
import { type OfficerCaseView, officerView } from './readCases.ts';
import { lifecycleRefusal } from './refusals.ts';

export interface ActDeps {
  cases: CaseStore;
  entities: EntityStore;
  clock: Clock;
  /** Filing, for the linked case of a forward. */
  filing: () => Promise<FileCaseDeps>;
  /** Documents attached to requests and answers (absent: an action with attachments fails). */
  documents?: DocumentsProvider | undefined;
}

/** The case's entity tag: its version. Strong: the stored state at that version is one. */
export function etagOf(c: Pick<CaseRecord, 'version'>): string {
  return `"v${c.version}"`;
}

const canActOnEntity = (actor: Actor) => hasRole(actor, 'supervisor') || hasRole(actor, 'admin');

const NOT_FOUND = (radicado: string) =>
  new UseCaseError('not_found', {
    es: `No existe el caso ${radicado} en su entidad`,
    en: `no case ${radicado} in your entity`,
  });

/** The case as the subject of a precondition. */
const theCase = (radicado: string) => ({ es: `el caso ${radicado}`, en: `case ${radicado}` });

/**
 * Reads a case the actor may work on: another entity's case does not exist for it (404); within
 * the entity, supervisors and admins read every case, officers their offices' cases, communicators
 * none (403: they hold no case work, and a case holds personal data).
 */
export async function caseOfActor(cases: CaseStore, actor: Actor, radicado: string): Promise<CaseRecord> {
  requireDuty(actor, 'caseWork');
  const record = inEntity(actor, await cases.get(radicado), () => NOT_FOUND(radicado));
  if (record.office === undefined ? !canActOnEntity(actor) : !canActOnOffice(actor, record.office)) {
    throw new UseCaseError(
      'forbidden',
      record.office === undefined
        ? {
            es: 'Solo los supervisores y administradores consultan un caso aún sin enrutar',
            en: 'a case not yet routed is read by supervisors and admins',
          }
        : {
            es: `El caso ${radicado} está en la dependencia ${record.office}: cada funcionario consulta los casos de sus propias dependencias`,
            en: `case ${radicado} is in office ${record.office}: officers read their own offices' cases`,
          },
    );
  }
  return record;
}

export interface ActCommand {
  radicado: string;
  /** The If-Match header: the ETag of the case as the officer read it. */
  ifMatch: string | undefined;
  action: unknown;
  /** Art. 22: the group a `respond` answers (answerAnalogous only; not a client's field). */
  group?: { id: string; size: number };
}

export interface ActResult {
  case: OfficerCaseView;
  etag: string;
  /** Forward: the case filed at the competent entity. */
  linked?: { entityId: string; radicado: string };
}

export async function actOnCase(deps: ActDeps, actor: Actor, command: ActCommand): Promise<ActResult> {
  const record = await caseOfActor(deps.cases, actor, command.radicado);
  requireIfMatch(command.ifMatch, etagOf(record), theCase(record.radicado));
  const parsed = LifecycleActionSchema.safeParse(command.action);
  if (!parsed.success) throw refusal(issuesOf(parsed.error, [], command.action));
  const action = parsed.data;
  const entity = await deps.entities.get(record.entityId);
  if (!entity) throw new Error(`case ${record.radicado} belongs to no stored entity`);
  await checkReferences(deps, entity, action);

  const at = deps.clock.now().toISOString();
  const state = lifecycleOf(lifecycleSeedOf(record));
  const decision = decide(state, action, actor, at, {
    termClassFor: (k) => termClassFor(entity, k, record.category),
    ...(command.group ? { group: command.group } : {}),
  });
  if (!decision.ok) throw lifecycleRefusal(decision, () => NOT_FOUND(record.radicado));

  const next = applyLifecycle(record, decision.next);
  if (action.type === 'respond' && decision.next.answer) {
    next.answer = { ...decision.next.answer, text: action.answer };
  }
  const changeWith = (extra: Record<string, unknown>, after: CaseRecord) =>
    caseChange(record, {
      event: {
        type: decision.event.type,
        at,
        actor: { kind: 'officer', id: actor.subject },
        data: { ...decision.event.data, ...extra, version: { from: record.version, to: next.version } },
      },
      after,
    });

  if (action.type === 'forward') {
    const late = decision.next.forwardedTo?.late ?? false;
    const carried = record.documents?.length
      ? await carriedDocuments(await documentsOf(deps), record.entityId, action.toEntityId, record.documents)
      : undefined;
    const filed = await fileCase(await deps.filing(), {
      filing: forwardedFiling(record, action.toEntityId, carried?.refs ?? []),
      ...(carried ? { documents: carried } : {}),
      actor: { kind: 'officer', id: actor.subject },
      forwardedFrom: { entityId: record.entityId, radicado: record.radicado },
      // The petitioner follows the new case with the code they already hold.
      trackingHash: record.trackingHash,
      alongside: (linked) =>
        changeWith(
          { linkedRadicado: linked },
          { ...next, forwardedTo: { entityId: action.toEntityId, radicado: linked, late } },
        ),
    }).catch(async (e: unknown) => {
      throw e instanceof StaleCaseError ? await staleCase(deps, record) : e;
    });
    const after = await deps.cases.get(record.radicado);
    if (!after) throw new Error(`case ${record.radicado} vanished`);
    return {
      case: officerView(after, entity, deps.clock.now(), actor),
      etag: etagOf(after),
      linked: { entityId: action.toEntityId, radicado: filed.radicado },
    };
  }

  // An officer's request or answer may come with documents (issue 13): stored once decided.
  const attachments = 'attachments' in action ? action.attachments : undefined;
  const change = await withDocuments(deps.documents, record.entityId, attachments, async (accepted) => {
    const documents = accepted.refs;
    if (documents.length > 0 && next.answer) next.answer = { ...next.answer, documents };
    const written = changeWith(documents.length > 0 ? { documents } : {}, next);
    await accepted.store();
    try {
      await deps.cases.commit(written);
    } catch (e) {
      throw e instanceof StaleCaseError ? await staleCase(deps, record) : e;
    }
    return written;
  });
  return { case: officerView(change.after, entity, deps.clock.now(), actor), etag: etagOf(change.after) };
}

async function documentsOf(deps: ActDeps) {
  if (!deps.documents) throw new Error('documents are not configured for this function');
  return deps.documents();
}

/** The case moved while this action was written: refused with the tag of what is stored now. */
async function staleCase(deps: ActDeps, record: CaseRecord): Promise<UseCaseError> {
  const now = await deps.cases.get(record.radicado);
  return stale(theCase(record.radicado), etagOf(now ?? record));
}

/** An action naming an office or an entity names one that exists (422 otherwise). */
async function checkReferences(deps: ActDeps, entity: Entity, action: LifecycleAction): Promise<void> {
  if (action.type === 'assign' && !entity.offices.some((o) => o.id === action.office)) {
    throw invalid(
      'office',
      'not_found',
      `${entity.id} no tiene la dependencia ${action.office}: elija una de sus dependencias`,
      `is not an office of ${entity.id}`,
    );
  }
  // Ley 1755 art. 19: an answer by reference names a petition of this entity already answered.
  if (action.type === 'respond' && action.reference !== undefined) {
    const earlier = await deps.cases.get(action.reference);
    if (earlier?.entityId !== entity.id || earlier.answer === undefined) {
      throw invalid(
        'reference',
        'not_found',
        `${action.reference} no es una petición de ${entity.id} ya respondida: remita a una que lo esté (Ley 1755 de 2015, art. 19)`,
        `is not a petition of ${entity.id} already answered (Ley 1755 de 2015, art. 19)`,
      );
    }
  }
  if (action.type === 'forward' && action.toEntityId !== entity.id) {
    if (!(await deps.entities.get(action.toEntityId))) {
      throw noEntity('toEntityId', action.toEntityId);
    }
  }
}

/** The petition as the competent entity receives it: the same content, addressed to it. */
function forwardedFiling(c: CaseRecord, toEntityId: string, documents: readonly DocumentRef[]): Filing {
  return {
    entityId: toEntityId,
    kind: c.kind,
    subject: c.subject,
    description: c.description,
    channel: c.channel,
    ...(c.category !== undefined ? { category: c.category } : {}),
    ...(c.petitioner !== undefined ? { petitioner: c.petitioner } : {}),
    ...(c.anonymous ? { anonymous: true } : {}),
    ...(documents.length ? { attachments: documents.map((d) => d.id) } : {}),
  } as Filing;
}

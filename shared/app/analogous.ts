/**
 * Ley 1755 art. 22: more than ten analogous petitions answered once. The office reads the groups
 * the product suggests (same kind and normalised text) and answers a group: each case is answered
 * in its own transaction (its own audit event and notice to its petitioner), exactly once per group
 * id (a retry skips the cases the group answered already), and the answer is published once on the
 * entity's notices list, without personal data.
 */
import type { Actor } from '#domain/actor.ts';
import { ANALOGOUS_MIN, analogousGroups, jointAnswerable } from '#domain/case/analogous.ts';
import type { CaseRecord } from '#domain/case/case.ts';
import type { Outcome } from '#domain/case/lifecycle.ts';
import type { Phrase } from '#domain/issues.ts';
import { redactPersonalData } from '#domain/participation/comment.ts';
import { publishNotice } from '#domain/publication.ts';
import type { PublicationStore } from '#ports/notifications.ts';
import { type ActDeps, actOnCase, caseOfActor, etagOf } from './actOnCase.ts';
import { invalid, UseCaseError } from './errors.ts';
import { inboxEntity, type ReadDeps } from './readCases.ts';

/** The pending cases of an office read to suggest groups (pages of the inbox). */
const MAX_READ = 5_000;

export async function suggestAnalogous(deps: ReadDeps, actor: Actor, office: string) {
  await inboxEntity(deps, actor, office);
  const cases: CaseRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.cases.listInbox(actor.entityId, office, {
      limit: 100,
      statuses: ['routed', 'assigned'],
      ...(cursor ? { cursor } : {}),
    });
    cases.push(...page.items);
    cursor = page.cursor;
  } while (cursor && cases.length < MAX_READ);
  return {
    office,
    groups: analogousGroups(cases).map((g) => ({ ...g, size: g.radicados.length })),
  };
}

export interface AnalogousAnswer {
  /** The office's id for this group answer (a retry sends the same one). */
  groupId: string;
  radicados: readonly string[];
  answer: string;
  outcome: Outcome;
}

export interface AnalogousReport {
  groupId: string;
  answered: string[];
  /** Answered by this group before (a retry). */
  already: string[];
  /** Not answered: why (another answer, a status that does not allow it, the law at this date). */
  refused: { radicado: string; code: string; detail: Phrase }[];
  /** The published notice's id. */
  published: string | null;
}

/**
 * Art. 22 answers petitions of one kind that it reaches (jointAnswerable; the office judges the
 * matter). A group id already used answers the same text and outcome, or nothing.
 */
function checkGroup(cases: readonly CaseRecord[], command: AnalogousAnswer): void {
  const kinds = [...new Set(cases.map((c) => c.kind))];
  if (kinds.length > 1) {
    throw invalid(
      'radicados',
      'conflict',
      `una respuesta conjunta es para peticiones análogas, de un mismo tipo; estas son de los tipos ${kinds.join(', ')} (Ley 1755 de 2015, art. 22)`,
      `a joint answer is for analogous petitions of one kind; these are of the kinds ${kinds.join(', ')} (Ley 1755 de 2015, art. 22)`,
    );
  }
  const outside = cases.find((c) => !jointAnswerable(c));
  if (outside !== undefined) {
    throw invalid(
      'radicados',
      'invalid_value',
      `${outside.radicado} (${outside.kind}, término ${outside.termClass}) no admite respuesta conjunta: el art. 22 de la Ley 1755 de 2015 es para peticiones de información, de interés general o de consulta; responda cada caso`,
      `${outside.radicado} (${outside.kind}, term ${outside.termClass}) takes no joint answer: Ley 1755 de 2015 art. 22 is for information requests, petitions of general interest and queries; answer each case`,
    );
  }
  const used = cases.find(
    (c) =>
      c.answer?.group?.id === command.groupId &&
      (c.answer.text !== command.answer || c.answer.outcome !== command.outcome),
  );
  if (used !== undefined) {
    throw invalid(
      'groupId',
      'conflict',
      `ya se usó para otra respuesta (${used.radicado}): envíe la misma respuesta para reintentar, o un groupId nuevo`,
      `was used for another answer (${used.radicado}): send the same answer to retry, or a new groupId`,
    );
  }
}

export async function answerAnalogous(
  deps: ActDeps & { publications?: PublicationStore },
  actor: Actor,
  command: AnalogousAnswer,
): Promise<AnalogousReport> {
  const radicados = [...new Set(command.radicados)];
  if (radicados.length < ANALOGOUS_MIN) {
    throw invalid(
      'radicados',
      'too_few',
      `una respuesta conjunta es para más de diez peticiones análogas: indique al menos ${ANALOGOUS_MIN} (Ley 1755 de 2015, art. 22)`,
      `a joint answer is for more than ten analogous petitions: give at least ${ANALOGOUS_MIN} (Ley 1755 de 2015, art. 22)`,
    );
  }
  // Every case must be the actor's to act on before any is answered: a wrong radicado changes nothing.
  // The records read here are the first attempt's: each case is read once more only if it changed.
  const read = new Map<string, CaseRecord>();
  for (const radicado of radicados) read.set(radicado, await caseOfActor(deps.cases, actor, radicado));
  checkGroup([...read.values()], command);
  const group = { id: command.groupId, size: radicados.length };
  const report: AnalogousReport = {
    groupId: command.groupId,
    answered: [],
    already: [],
    refused: [],
    published: null,
  };
  const first = read.get(radicados[0]!);
  for (const radicado of radicados) {
    // Each case in its own transaction, on the version read (a case changed meanwhile is read again once).
    for (let attempt = 0; attempt < 2; attempt++) {
      const record = attempt === 0 ? read.get(radicado)! : await caseOfActor(deps.cases, actor, radicado);
      if (record.answer?.group?.id === command.groupId) {
        report.already.push(radicado);
        break;
      }
      try {
        let ifMatch = etagOf(record);
        if (record.status === 'routed' && record.office !== undefined) {
          // The groups list routed cases too; `respond` needs an officer: whoever answers takes it.
          const office = record.office;
          const assign = { type: 'assign', office, officer: actor.subject };
          ifMatch = (await actOnCase(deps, actor, { radicado, ifMatch, action: assign })).etag;
        }
        await actOnCase(deps, actor, {
          radicado,
          ifMatch,
          action: { type: 'respond', answer: command.answer, outcome: command.outcome },
          group,
        });
        report.answered.push(radicado);
        break;
      } catch (error) {
        if (!(error instanceof UseCaseError)) throw error;
        if (error.code === 'precondition_failed' && attempt === 0) continue;
        report.refused.push({ radicado, code: error.code, detail: error.detail });
        break;
      }
    }
  }
  if (deps.publications && first && report.answered.length + report.already.length > 0) {
    const entity = await deps.entities.get(first.entityId);
    const draft = {
      kind: 'group_answered',
      radicado: first.radicado,
      entityId: first.entityId,
      entityName: entity?.name ?? first.entityId,
      caseKind: first.kind,
      title: `Respuesta conjunta a ${group.size} peticiones análogas`,
      body: `${entity?.name ?? first.entityId} responde con una sola respuesta las peticiones análogas con radicados ${radicados.join(', ')} (Ley 1755 de 2015, art. 22): ${redactPersonalData(command.answer)}`,
    };
    const calendar = entity?.closures ? { closures: entity.closures } : {};
    const notice = publishNotice(draft, `GROUP#${command.groupId}`, deps.clock.now(), calendar);
    report.published = (await deps.publications.publish(notice)).id;
  }
  return report;
}

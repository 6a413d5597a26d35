/**
 * An officer registers a petition received in person or by phone (Decreto 1166 de 2016): the
 * filing with the record the decree asks for (date, channel, place, officer), for the officer's
 * own entity, within VERBAL_RECORD_MAX_HOURS of being made.
 */
import type { Actor } from '#domain/actor.ts';
import { type Filing, verbalRecordIssue } from '#domain/case/filing.ts';
import type { VERBAL_CHANNELS } from '#domain/vocabulary.ts';
import { type DocumentsProvider, withDocuments } from './acceptDocuments.ts';
import { requireDuty } from './access.ts';
import { invalid, refusal } from './errors.ts';
import { type FileCaseDeps, type FiledCase, fileCase } from './fileCase.ts';

export interface VerbalCommand {
  filing: Filing;
  record: {
    channel: (typeof VERBAL_CHANNELS)[number];
    place?: string | undefined;
    receivedAt?: string | undefined;
  };
  /** A retried registration (same officer, key and record) answers the first filing. */
  idempotency?: { key: string; request: unknown };
}

export async function registerVerbal(
  deps: FileCaseDeps & { documents?: DocumentsProvider | undefined },
  actor: Actor,
  command: VerbalCommand,
): Promise<FiledCase> {
  requireDuty(actor, 'caseWork');
  const { filing, record } = command;
  if (filing.entityId !== actor.entityId) {
    throw invalid(
      'filing.entityId',
      'mismatch',
      `debe ser su propia entidad, ${actor.entityId}: un funcionario registra peticiones verbales solo para ella`,
      'is not your entity: an officer registers verbal petitions for its own entity only',
      'forbidden',
    );
  }
  const receivedAt = record.receivedAt !== undefined ? new Date(record.receivedAt) : undefined;
  const late = receivedAt && verbalRecordIssue(receivedAt, deps.clock.now());
  if (late) throw refusal([late]);
  return withDocuments(deps.documents, filing.entityId, filing.attachments, (documents) =>
    fileCase(deps, {
      documents,
      filing: { ...filing, channel: record.channel },
      actor: { kind: 'officer', id: actor.subject },
      ...(receivedAt ? { receivedAt } : {}),
      ...(command.idempotency
        ? { idempotency: { scope: `verbal#${actor.subject}`, ...command.idempotency } }
        : {}),
      verbal: {
        officer: actor.subject,
        channel: record.channel,
        ...(record.place !== undefined ? { place: record.place } : {}),
      },
    }),
  );
}

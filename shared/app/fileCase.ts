/**
 * File a PQRSD: validate against the entity, put it on the legal clock, allocate the radicado,
 * store it with its first audit event in one transaction, sign the receipt. Routing is asked for
 * by that same write: the table's stream carries the new case to the routing queue (no dual write).
 */
import { type Actor, chainEvent } from '#domain/case/audit.ts';
import { type CaseRecord, caseDatesOf, filedContent, type VerbalRecord } from '#domain/case/case.ts';
import {
  completionSuggested,
  type Filing,
  isPriority,
  selfServiceChannelIssue,
} from '#domain/case/filing.ts';
import { formatRadicado } from '#domain/case/radicado.ts';
import { lifecycleDates } from '#domain/case/status.ts';
import { reachesPrivately } from '#domain/channels.ts';
import { bogotaDay } from '#domain/clock/dates.ts';
import { computeClock } from '#domain/clock/index.ts';
import { clockSettings, termClassFor } from '#domain/entity.ts';
import { canonicalJson, sha256Hex } from '#domain/text.ts';
import {
  type CaseStore,
  type Clock,
  type EntityStore,
  type FileCaseInput,
  RadicadoBusyError,
  type ReceiptSigner,
} from '#ports/index.ts';
import type { Pseudonym } from '#ports/pseudonyms.ts';
import type { AcceptedDocuments } from './acceptDocuments.ts';
import { invalid, keyReused, noEntity, refusal, UseCaseError } from './errors.ts';
import {
  hashIdempotencyKey,
  hashTrackingCode,
  newTrackingCode,
  seal,
  sealForNotice,
  unseal,
} from './tracking.ts';

export interface FileCaseDeps {
  cases: CaseStore;
  entities: EntityStore;
  signer: ReceiptSigner;
  clock: Clock;
  idempotencyTtlHours: number;
  /** How long a filing may try to get its radicado before answering "busy, retry" (ms). */
  filingBudgetMs: number;
  /** The secret that seals a channel filing's tracking code for its notice (tracking.ts, from the pseudonym key). */
  noticeSecret?: string;
}

export interface FiledCase {
  radicado: string;
  trackingCode: string;
  entityId: string;
  kind: CaseRecord['kind'];
  receivedAt: string;
  termClass: CaseRecord['termClass'];
  ruleSet: string;
  dueDate: string;
  status: CaseRecord['status'];
  receipt: string;
}

/** The stored form of a filing's response: the tracking code sealed, never in clear. */
type StoredResponse = Omit<FiledCase, 'trackingCode'> & { trackingCode: string };

export interface FileCaseCommand {
  filing: Filing;
  /** Who filed: the citizen over the web API, or a channel (intake). */
  actor: Actor;
  /** The channel's own id of the filing (intake), kept with the case. */
  externalId?: string;
  /**
   * When the channel received the filing (intake): the legal receipt, whatever the queue's delay.
   * Absent: now.
   */
  receivedAt?: Date;
  /**
   * Replays: the same key and request answer the first response; another request is a conflict.
   * `permanent` keeps the record for good (a channel's externalId must never file twice) and then
   * stores no tracking code at all (there is no caller to replay it to).
   */
  idempotency?: { scope: string; key: string; request: unknown; permanent?: boolean };
  /** Art. 21: the case this one is forwarded from (its term runs from this receipt). */
  forwardedFrom?: { entityId: string; radicado: string };
  /** The tracking code's hash to keep (a forwarded case: the petitioner's code follows it too). */
  trackingHash?: string;
  /** A change of another case committed in the same transaction (see FileCaseInput). */
  alongside?: FileCaseInput<unknown>['alongside'];
  /** The verbal petition's record (Decreto 1166 de 2016). */
  verbal?: VerbalRecord;
  /**
   * The documents filed with it, checked already (acceptDocuments) and stored here once the filing
   * is decided: the receipt's hash covers them.
   */
  documents?: AcceptedDocuments;
  /**
   * The identified citizen filing (their current pseudonym, CASES_SCOPE): the case joins their list.
   * Not an anonymous filing: no stored link may tie its author to it (they can link it themselves).
   */
  follower?: Pseudonym;
}

export async function fileCase(deps: FileCaseDeps, command: FileCaseCommand): Promise<FiledCase> {
  const { filing } = command;
  const documents = command.documents?.refs ?? [];
  if ((filing.attachments?.length ?? 0) !== documents.length) {
    // The documents are accepted by the caller (withDocuments); never drop them silently.
    throw invalid(
      'attachments',
      'unsupported',
      'este canal no recibe documentos: radíquelos por la API web',
      'are not taken through this channel: file them through the web API',
    );
  }
  const door = command.actor.kind === 'citizen' ? selfServiceChannelIssue(filing.channel) : undefined;
  if (door) throw refusal([door]);
  const entity = await deps.entities.get(filing.entityId);
  if (!entity) throw noEntity('entityId', filing.entityId);
  // No petition is refused at the door (Ley 1755 art. 15 par. 2): a kind the entity does not list
  // is routed "forward suggested" (art. 21), missing data "completion suggested" (art. 17).
  const completion = completionSuggested(filing);

  const clockNow = deps.clock.now();
  const now = command.receivedAt ?? clockNow;
  if (now.getTime() > clockNow.getTime() + 5 * 60_000) {
    throw invalid(
      'receivedAt',
      'invalid_value',
      'es una fecha futura: indique el momento en que el canal recibió la petición',
      'is in the future',
    );
  }
  const receivedAt = now.toISOString();
  const year = Number(bogotaDay(now).slice(0, 4));
  const termClass = termClassFor(entity, filing.kind, filing.category);
  // The case keeps the settings in force at receipt (RULES.md: a case lives under its rules).
  const settings = clockSettings(entity);
  const clock = computeClock({ termClass, filed: receivedAt, entity: settings }, { trace: false });
  const trackingCode = newTrackingCode();
  const contentSha256 = sha256Hex(canonicalJson(filedContent(filing, documents)));
  const idem = command.idempotency;

  const outcome = await deps.cases
    .fileCase<StoredResponse>({
      entityId: entity.id,
      year,
      ...(idem
        ? {
            idempotency: {
              scope: idem.scope,
              key: hashIdempotencyKey(idem.scope, idem.key),
              requestHash: sha256Hex(canonicalJson(idem.request)),
              ...(idem.permanent
                ? {}
                : { expiresAt: Math.floor(clockNow.getTime() / 1000) + deps.idempotencyTtlHours * 3600 }),
            },
          }
        : {}),
      now: clockNow.getTime(),
      deadline: clockNow.getTime() + deps.filingBudgetMs,
      ...(command.alongside ? { alongside: command.alongside } : {}),
      ...(command.follower && filing.anonymous !== true ? { follower: command.follower } : {}),
      // Built only for a new filing (not for a replay or a reused key): its documents are stored then.
      build: async (seq) => {
        await command.documents?.store();
        const radicado = formatRadicado(entity.id, year, seq);
        const event = chainEvent(undefined, {
          radicado,
          type: 'filed',
          at: receivedAt,
          actor: command.actor,
          data: {
            kind: filing.kind,
            termClass,
            ruleSet: clock.ruleSet,
            dueDate: clock.due,
            channel: filing.channel,
            anonymous: filing.anonymous === true,
            contentSha256,
            ...(command.forwardedFrom ? { forwardedFrom: command.forwardedFrom } : {}),
            ...(command.verbal ? { verbal: command.verbal } : {}),
            ...(documents.length ? { documents } : {}),
          },
        });
        // Fixed attributes first, spreads after (Node 20's slow path). Why: docs/adr/0006-bundling-shims.md
        const record: CaseRecord = {
          radicado,
          entityId: entity.id,
          kind: filing.kind,
          termClass,
          ruleSet: clock.ruleSet,
          channel: filing.channel,
          subject: filing.subject,
          description: filing.description,
          anonymous: filing.anonymous === true,
          priority: isPriority(filing),
          receivedAt,
          clockSettings: settings,
          status: 'received',
          trackingHash: command.trackingHash ?? hashTrackingCode(trackingCode),
          clockEvents: [],
          updatedAt: receivedAt,
          contentSha256,
          version: 1,
          lastEventSeq: event.seq,
          lastEventHash: event.hash,
          ...caseDatesOf(lifecycleDates(clock)),
          ...(filing.category ? { category: filing.category } : {}),
          ...(command.externalId ? { externalId: command.externalId } : {}),
          ...(filing.petitioner ? { petitioner: filing.petitioner } : {}),
          // A channel filing (nobody to answer with the code): its filing email or SMS carries it.
          ...(idem?.permanent && !command.trackingHash && deps.noticeSecret && reachesPrivately(filing)
            ? { trackingSealed: sealForNotice(deps.noticeSecret, trackingCode) }
            : {}),
          ...(command.forwardedFrom ? { forwardedFrom: command.forwardedFrom } : {}),
          ...(command.verbal ? { verbal: command.verbal } : {}),
          ...(documents.length ? { documents } : {}),
          ...(completion ? { completionSuggested: { missing: [...completion.missing] } } : {}),
        };
        // Signed while the case is being written (when the answer is not stored with it).
        const respond = async (): Promise<StoredResponse> => ({
          radicado,
          trackingCode: idem && !idem.permanent ? seal(idem.scope, idem.key, trackingCode) : '',
          entityId: entity.id,
          kind: filing.kind,
          receivedAt,
          termClass,
          ruleSet: clock.ruleSet,
          dueDate: clock.due,
          status: 'received',
          receipt: await deps.signer.sign({
            radicado,
            entityId: entity.id,
            receivedAt,
            dueDate: clock.due,
            contentSha256,
          }),
        });
        return { record, event, respond };
      },
    })
    .catch((error: unknown) => {
      if (!(error instanceof RadicadoBusyError)) throw error;
      throw new UseCaseError(
        'busy',
        {
          es: 'En este momento hay demasiadas radicaciones para esta entidad: reintente con la misma Idempotency-Key',
          en: 'too many filings for this entity right now: retry with the same Idempotency-Key',
        },
        [],
        { retryAfterSeconds: 1 },
      );
    });

  if (outcome.kind === 'key_conflict') {
    throw keyReused();
  }
  if (outcome.kind === 'replayed') {
    const r = outcome.response;
    return { ...r, trackingCode: idem && r.trackingCode ? unseal(idem.scope, idem.key, r.trackingCode) : '' };
  }
  // A kept tracking hash (forward): the petitioner's code is the one they hold; none is new.
  const filed: FiledCase = { ...outcome.response };
  filed.trackingCode = command.trackingHash ? '' : trackingCode;
  return filed;
}

/**
 * File a PQRSD: validate against the entity, put it on the legal clock, allocate the radicado,
 * store it with its first audit event in one transaction, sign the receipt, ask for routing.
 */
import { chainEvent } from '#domain/case/audit.ts';
import { type CaseRecord, filedContent } from '#domain/case/case.ts';
import { checkAgainstEntity, type Filing, isPriority } from '#domain/case/filing.ts';
import { formatRadicado } from '#domain/case/radicado.ts';
import { computeClock } from '#domain/clock/index.ts';
import { clockSettings, termClassFor } from '#domain/entity.ts';
import { canonicalJson, sha256Hex } from '#domain/text.ts';
import type {
  CaseStore,
  Clock,
  EntityStore,
  MessageQueue,
  ReceiptSigner,
  RoutingMessage,
} from '#ports/index.ts';
import { UseCaseError } from './errors.ts';
import { hashIdempotencyKey, hashTrackingCode, newTrackingCode, seal, unseal } from './tracking.ts';

export interface FileCaseDeps {
  cases: CaseStore;
  entities: EntityStore;
  routing: MessageQueue<RoutingMessage>;
  signer: ReceiptSigner;
  clock: Clock;
  idempotencyTtlHours: number;
  /** Told when the routing message could not be sent (the outbox sweep will route the case). */
  onRoutingDeferred?: (radicado: string, error: unknown) => void;
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
  /** The channel's own id of the filing (intake), kept with the case. */
  externalId?: string;
  /** Replays: the same key and request answer the first response; another request is a conflict. */
  idempotency?: { scope: string; key: string; request: unknown };
}

/** The calendar year in Bogota (UTC−5, no DST) of an instant. */
function bogotaYear(at: Date): number {
  return new Date(at.getTime() - 5 * 3600_000).getUTCFullYear();
}

export async function fileCase(deps: FileCaseDeps, command: FileCaseCommand): Promise<FiledCase> {
  const { filing } = command;
  const entity = await deps.entities.get(filing.entityId);
  if (!entity) {
    throw new UseCaseError('invalid', `invalid entityId: no entity ${filing.entityId}`, [
      { field: 'entityId', message: `no entity ${filing.entityId}; GET /v1/public/entities lists them` },
    ]);
  }
  const issues = checkAgainstEntity(filing, entity);
  if (issues.length > 0)
    throw new UseCaseError('invalid', `invalid ${issues[0]!.field}: ${issues[0]!.message}`, issues);

  const now = deps.clock.now();
  const receivedAt = now.toISOString();
  const termClass = termClassFor(entity, filing.kind);
  const clock = computeClock({ termClass, filed: receivedAt, entity: clockSettings(entity) });
  const trackingCode = newTrackingCode();
  const contentSha256 = sha256Hex(canonicalJson(filedContent(filing)));
  const idem = command.idempotency;

  const outcome = await deps.cases.fileCase<StoredResponse>({
    entityId: entity.id,
    year: bogotaYear(now),
    ...(idem
      ? {
          idempotency: {
            scope: idem.scope,
            key: hashIdempotencyKey(idem.scope, idem.key),
            requestHash: sha256Hex(canonicalJson(idem.request)),
            expiresAt: Math.floor(now.getTime() / 1000) + deps.idempotencyTtlHours * 3600,
          },
        }
      : {}),
    build: async (seq) => {
      const radicado = formatRadicado(entity.id, bogotaYear(now), seq);
      const event = chainEvent(undefined, {
        radicado,
        type: 'filed',
        at: receivedAt,
        actor: { kind: filing.channel === 'web' ? 'citizen' : 'channel', id: filing.channel },
        data: {
          kind: filing.kind,
          termClass,
          ruleSet: clock.ruleSet,
          dueDate: clock.due,
          channel: filing.channel,
          anonymous: filing.anonymous === true,
          contentSha256,
        },
      });
      const record: CaseRecord = {
        radicado,
        entityId: entity.id,
        kind: filing.kind,
        termClass,
        ruleSet: clock.ruleSet,
        ...(filing.category ? { category: filing.category } : {}),
        channel: filing.channel,
        ...(command.externalId ? { externalId: command.externalId } : {}),
        subject: filing.subject,
        description: filing.description,
        ...(filing.petitioner ? { petitioner: filing.petitioner } : {}),
        anonymous: filing.anonymous === true,
        priority: isPriority(filing),
        receivedAt,
        receivedOn: clock.receivedOn,
        dueDate: clock.due,
        maxExtendedDue: clock.maxExtendedDue,
        forwardBy: clock.forwardBy,
        completionRequestBy: clock.completionRequestBy,
        ...(clock.copiesDue ? { copiesDue: clock.copiesDue } : {}),
        status: 'received',
        trackingHash: hashTrackingCode(trackingCode),
        contentSha256,
        version: 1,
        lastEventSeq: event.seq,
        lastEventHash: event.hash,
      };
      const receipt = await deps.signer.sign({
        radicado,
        entityId: entity.id,
        receivedAt,
        dueDate: clock.due,
        contentSha256,
      });
      const response: StoredResponse = {
        radicado,
        trackingCode: idem ? seal(idem.scope, idem.key, trackingCode) : '',
        entityId: entity.id,
        kind: filing.kind,
        receivedAt,
        termClass,
        ruleSet: clock.ruleSet,
        dueDate: clock.due,
        status: 'received',
        receipt,
      };
      return { record, event, response };
    },
  });

  if (outcome.kind === 'key_conflict') {
    throw new UseCaseError('invalid', 'this Idempotency-Key was already used with a different request', [
      { field: 'Idempotency-Key', message: 'was already used with a different request' },
    ]);
  }
  if (outcome.kind === 'replayed') {
    const r = outcome.response;
    return { ...r, trackingCode: idem ? unseal(idem.scope, idem.key, r.trackingCode) : r.trackingCode };
  }
  try {
    await deps.routing.send([{ radicado: outcome.record.radicado }]);
  } catch (error) {
    deps.onRoutingDeferred?.(outcome.record.radicado, error);
  }
  return { ...outcome.response, trackingCode };
}

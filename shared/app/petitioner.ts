/**
 * Who the petitioner of a case is, for the citizen's routes: whoever holds its tracking code, or an
 * identified citizen the case is linked to (filed with their token, or linked with its radicado and
 * tracking code). Anything else — an unknown radicado, another case's code, a case not linked —
 * is the same 404, so that nothing can be probed. And how their acts are written: decided by the
 * lifecycle, appended to the audit trail in one transaction with the case.
 */
import { CASES_SCOPE, type Citizen, citizenPseudonymText } from '#domain/actor.ts';
import { applyLifecycle, type CaseRecord, lifecycleSeedOf } from '#domain/case/case.ts';
import {
  type CaseLifecycle,
  decideForPetitioner,
  type LifecycleEvent,
  lifecycleOf,
  type PetitionerAction,
} from '#domain/case/lifecycle.ts';
import { fixedWindow, minutesToWait } from '#domain/limits.ts';
import { canonicalJson, sha256Hex } from '#domain/text.ts';
import type { CitizenCases } from '#ports/citizens.ts';
import { type CaseStore, type Clock, StaleCaseError } from '#ports/index.ts';
import type { RateLimiter } from '#ports/limits.ts';
import type { Pseudonym, Pseudonyms } from '#ports/pseudonyms.ts';
import type { AcceptedDocuments } from './acceptDocuments.ts';
import { caseChange } from './caseChange.ts';
import { keyReused, UseCaseError } from './errors.ts';
import { lifecycleRefusal } from './refusals.ts';
import { hashIdempotencyKey, trackingCodeMatches } from './tracking.ts';

export interface PetitionerCredential {
  trackingCode?: string | undefined;
  citizen?: Citizen | undefined;
  /** The caller's network address (API Gateway's sourceIp): wrong codes are limited per client too. */
  client?: string | undefined;
}

export interface PetitionerDeps {
  cases: CaseStore;
  citizens: CitizenCases;
  clock: Clock;
  /** Key the hashes that stand for a citizen (their list of cases), and for a client. */
  pseudonyms: Pseudonyms;
  limits: RateLimiter;
  /** Wrong tracking codes allowed per radicado and per client in a window, then 429. */
  trackingAttempts: { limit: number; windowSeconds: number };
}

export const NOT_YOURS = () =>
  new UseCaseError('not_found', {
    es: 'No hay un caso con ese radicado y ese código de seguimiento',
    en: 'no case with that radicado and tracking code',
  });

/** The pseudonyms a citizen's list of cases is kept under, the current key version's first. */
export const citizenCases = (pseudonyms: Pseudonyms, citizen: Citizen): Pseudonym[] =>
  pseudonyms.every(citizenPseudonymText(CASES_SCOPE, citizen));

/** How many forwards (art. 21) back a citizen's link is looked for. */
const MAX_FORWARDS = 5;

/**
 * The case, when the credential is its petitioner's (the same 404 otherwise). A case forwarded
 * from one in the citizen's list is theirs too (the tracking code follows it the same way).
 */
export async function petitionersCase(
  deps: PetitionerDeps,
  radicado: string,
  credential: PetitionerCredential,
): Promise<CaseRecord> {
  const record = await deps.cases.get(radicado);
  if (credential.trackingCode !== undefined) {
    if (await trackingCodeOpens(deps, radicado, credential, record)) return record as CaseRecord;
  }
  if (!record) throw NOT_YOURS();
  if (credential.citizen) {
    const citizen = citizenCases(deps.pseudonyms, credential.citizen).map((p) => p.hash);
    let c: CaseRecord | undefined = record;
    for (let hop = 0; c && hop <= MAX_FORWARDS; hop++) {
      if (await deps.citizens.isLinked(citizen, c)) return record;
      c = c.forwardedFrom && (await deps.cases.get(c.forwardedFrom.radicado));
    }
  }
  throw NOT_YOURS();
}

/**
 * Whether the tracking code opens the case, counting a wrong one against the radicado and the
 * client (a keyed hash of its address): past the limit in the window every code is refused with
 * 429 and Retry-After, so codes cannot be guessed by trying (issue 16).
 */
async function trackingCodeOpens(
  deps: PetitionerDeps,
  radicado: string,
  credential: PetitionerCredential,
  record: CaseRecord | undefined,
): Promise<boolean> {
  const { limit, windowSeconds } = deps.trackingAttempts;
  const window = fixedWindow(deps.clock.now(), windowSeconds);
  const buckets = [
    `track#${radicado}`,
    ...(credential.client
      ? [`track-client#${deps.pseudonyms.current(`client:${credential.client}`).hash}`]
      : []),
  ];
  const used = await Promise.all(buckets.map((b) => deps.limits.used(b, window.id)));
  if (used.some((n) => n >= limit)) {
    throw new UseCaseError(
      'too_many',
      {
        es: `Demasiados códigos de seguimiento equivocados: espere ${minutesToWait(window.retryAfterSeconds).es} y vuelva a intentarlo`,
        en: `too many wrong tracking codes: wait ${minutesToWait(window.retryAfterSeconds).en} and try again`,
      },
      [],
      { retryAfterSeconds: window.retryAfterSeconds, type: 'too-many-attempts' },
    );
  }
  if (record && trackingCodeMatches(credential.trackingCode ?? '', record.trackingHash)) return true;
  await Promise.all(buckets.map((b) => deps.limits.take(b, window.id, limit, window.expiresAt)));
  return false;
}

/** What a petitioner's act gives back, now and on a retry with the same Idempotency-Key. */
export interface PetitionerActResult {
  radicado: string;
  /** The audit event it appended. */
  event: { seq: number; type: string; at: string; data: Readonly<Record<string, unknown>> };
}

/** Concurrent officers' changes are merged by deciding again on the fresh case. */
const ATTEMPTS = 3;

/**
 * Decides and writes one of the petitioner's acts. `details`: what the event records beyond the
 * decision (the reply's text). With an Idempotency-Key, a retry with the same key
 * and request gets the first event back; another request with that key is a 422.
 */
export async function actAsPetitioner(
  deps: PetitionerDeps,
  radicado: string,
  credential: PetitionerCredential,
  action: PetitionerAction,
  options: {
    details?: Record<string, unknown>;
    /** Checked already; recorded with the act and stored once it is decided. */
    documents?: AcceptedDocuments;
    idempotencyKey?: string | undefined;
    /** The case as the caller just read it with this credential (a stale write reads it again). */
    record?: CaseRecord;
  } = {},
): Promise<PetitionerActResult> {
  const refs = options.documents?.refs ?? [];
  const details = { ...options.details, ...(refs.length > 0 ? { documents: refs } : {}) };
  const idempotency =
    options.idempotencyKey === undefined
      ? undefined
      : {
          key: hashIdempotencyKey(`petitioner#${radicado}`, options.idempotencyKey),
          request: sha256Hex(canonicalJson({ action, details })),
        };
  for (let attempt = 1; ; attempt++) {
    const record =
      attempt === 1 && options.record ? options.record : await petitionersCase(deps, radicado, credential);
    if (idempotency) {
      const earlier = (await deps.cases.events(radicado)).find(
        (e) => (e.data.idempotency as { key?: string } | undefined)?.key === idempotency.key,
      );
      if (earlier) {
        if ((earlier.data.idempotency as { request?: string }).request !== idempotency.request) {
          throw keyReused();
        }
        return {
          radicado,
          event: { seq: earlier.seq, type: earlier.type, at: earlier.at, data: earlier.data },
        };
      }
    }
    const at = deps.clock.now().toISOString();
    const decision = decideForPetitioner(lifecycleOf(lifecycleSeedOf(record)), action, at);
    if (!decision.ok) throw lifecycleRefusal(decision, NOT_YOURS);
    await options.documents?.store();
    try {
      return {
        radicado,
        event: await commitAct(deps, record, decision.next, decision.event, at, {
          ...details,
          ...(idempotency ? { idempotency } : {}),
        }),
      };
    } catch (error) {
      if (!(error instanceof StaleCaseError) || attempt >= ATTEMPTS) throw error;
    }
  }
}

async function commitAct(
  deps: PetitionerDeps,
  record: CaseRecord,
  next: CaseLifecycle,
  decided: LifecycleEvent,
  at: string,
  details: Record<string, unknown>,
): Promise<PetitionerActResult['event']> {
  const change = caseChange(record, {
    event: {
      type: decided.type,
      at,
      actor: { kind: 'citizen' },
      data: { ...decided.data, ...details, version: { from: record.version, to: record.version + 1 } },
    },
    after: applyLifecycle(record, next),
  });
  await deps.cases.commit(change);
  const { event } = change;
  return { seq: event.seq, type: event.type, at: event.at, data: event.data };
}

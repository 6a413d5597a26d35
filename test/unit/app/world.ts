/**
 * The use cases' world for unit tests: three entities, their staff, a citizen's filing, and every
 * port as an in-memory fake (test/support/fakes) wired as the composition root wires the real
 * ones. The domain is the real one: dates come from the legal clock.
 */

import { type ActDeps, actOnCase, etagOf } from '#app/actOnCase.ts';
import { UseCaseError } from '#app/errors.ts';
import { type FileCaseCommand, type FileCaseDeps, fileCase } from '#app/fileCase.ts';
import type { NotifyDeps } from '#app/notify.ts';
import type { PetitionerDeps } from '#app/petitioner.ts';
import { type CitizenRef, citizenRef as refOf } from '#app/proposalCreate.ts';
import type { ReadDeps } from '#app/readCases.ts';
import { routeCase } from '#app/routeCase.ts';
import type { Actor, Role } from '#domain/actor.ts';
import type { Actor as AuditActor } from '#domain/case/audit.ts';
import type { CaseRecord } from '#domain/case/case.ts';
import { type Filing, type FilingInput, FilingSchema } from '#domain/case/filing.ts';
import { watchCase } from '#domain/case/watch.ts';
import { clockSettings, DEFAULT_SEMAFORO, type Entity, termClassFor } from '#domain/entity.ts';
import type { CommentMessage } from '#domain/participation/comment.ts';
import type { Kind, Semaforo } from '#domain/vocabulary.ts';
import type { RoutingMessage } from '#ports/index.ts';
import {
  FakeDirectory,
  InMemoryCampaignGroupStore,
  InMemoryCaseStore,
  InMemoryCitizens,
  InMemoryCommentStore,
  InMemoryConsultationCounters,
  InMemoryConsultationStore,
  InMemoryEntityStore,
  InMemoryNoticeStore,
  InMemoryProposalStore,
  InMemoryPublicationStore,
  InMemoryRateLimiter,
  RecordingNotifier,
  RecordingQueue,
  SettableClock,
  testPseudonyms,
  testSigner,
} from '#test/support/fakes/index.ts';

/** Tuesday 3 March 2026, 10:00 in Bogotá: a business day. */
export const NOW = '2026-03-03T15:00:00.000Z';
export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

export const MINTIC: Entity = {
  id: 'MINTIC',
  name: 'Ministerio TIC',
  kinds: ['petition', 'complaint', 'claim', 'suggestion', 'report', 'information_request', 'query'],
  categories: ['telecommunications', 'spectrum', 'transparency', 'corruption'],
  offices: [
    { id: 'atencion-ciudadano', name: 'Atención al Ciudadano' },
    { id: 'espectro', name: 'Espectro' },
    { id: 'transparencia', name: 'Transparencia' },
    { id: 'control-interno', name: 'Control Interno' },
  ],
  defaultOffice: 'atencion-ciudadano',
  routing: [
    { office: 'control-interno', kinds: ['report'], categories: ['corruption'] },
    { office: 'transparencia', kinds: ['information_request'] },
    { office: 'espectro', categories: ['spectrum'] },
    { office: 'espectro', keywords: ['antena', 'zona wifi'] },
  ],
  semaforo: { yellow: 0.5, red: 0.8, redDaysLeft: 2 },
  proposalThreshold: 3,
};

/** Shorter general term (12 days), its own thresholds, no proposal threshold (the default). */
export const SUPERSALUD: Entity = {
  id: 'SUPERSALUD',
  name: 'Superintendencia de Salud',
  kinds: ['petition', 'complaint', 'claim', 'suggestion', 'report', 'information_request', 'query'],
  categories: ['health_insurance', 'transparency'],
  offices: [
    { id: 'pqrd', name: 'Protección al Usuario' },
    { id: 'eps', name: 'Supervisión de EPS' },
  ],
  defaultOffice: 'pqrd',
  routing: [{ office: 'eps', categories: ['health_insurance'] }],
  terms: { general: 12 },
  semaforo: { yellow: 0.4, red: 0.7, redDaysLeft: 3 },
};

/** Receives no petitions nor queries; maps complaints to the (shorter) information term. */
export const MEDELLIN: Entity = {
  id: 'MEDELLIN',
  name: 'Alcaldía de Medellín',
  kinds: ['complaint', 'claim', 'report'],
  categories: ['urban_mobility', 'health_insurance'],
  offices: [{ id: 'servicio-ciudadania', name: 'Servicio a la Ciudadanía' }],
  defaultOffice: 'servicio-ciudadania',
  routing: [],
  termClassByKind: { complaint: 'information' },
};

export const ATENCION = 'atencion-ciudadano';

export const petitioner = {
  name: 'Ana Pérez Gómez',
  idType: 'CC' as const,
  idNumber: '52123456',
  email: 'ana.perez@example.com',
  phone: '+57 300 123 4567',
};

/** A citizen's petition to MINTIC (no category: routed to the default office), as validated. */
export function petition(overrides: Partial<FilingInput> = {}): Filing {
  return FilingSchema.parse({
    entityId: 'MINTIC',
    kind: 'petition',
    subject: 'Consulta general',
    description: 'Solicito información sobre un trámite.',
    petitioner,
    ...overrides,
  });
}

/** An anonymous report (no petitioner), as validated. */
export function anonymousReport(overrides: Partial<FilingInput> = {}): Filing {
  return FilingSchema.parse({
    entityId: 'MINTIC',
    kind: 'report',
    subject: 'Denuncia',
    description: 'Denuncio un hecho.',
    anonymous: true,
    ...overrides,
  });
}

/** The petitioner without an email (answered by phone). */
export const { email: _email, ...petitionerWithoutEmail } = petitioner;

export const staff = (
  roles: Role[],
  options: { entityId?: string; offices?: string[]; subject?: string } = {},
): Actor => ({
  subject: options.subject ?? `${roles.join('-')}-sub`,
  entityId: options.entityId ?? 'MINTIC',
  roles,
  offices: options.offices ?? [],
});

export const officer = staff(['officer'], { offices: [ATENCION], subject: 'officer-1' });
export const officerOfSpectrum = staff(['officer'], { offices: ['espectro'], subject: 'officer-2' });
export const supervisor = staff(['supervisor'], { subject: 'supervisor-1' });
export const admin = staff(['admin'], { subject: 'admin-1' });
export const communicator = staff(['communicator'], { subject: 'communicator-1' });
export const otherSupervisor = staff(['supervisor'], { entityId: 'SUPERSALUD', subject: 'supervisor-ss' });
export const otherAdmin = staff(['admin'], { entityId: 'SUPERSALUD', subject: 'admin-ss' });

export const citizen: AuditActor = { kind: 'citizen' };
export const emailChannel: AuditActor = { kind: 'channel', id: 'email' };

/** An identified citizen as the participation use cases see one (`pseudonyms`: after a rotation, say). */
export const citizenRef = (name: string, pseudonyms = testPseudonyms()): CitizenRef =>
  refOf(pseudonyms, { issuer: 'https://idp.test', subject: name });

export const NOTICE_SECRET = 'notice-secret-for-tests';

export async function world(now: string = NOW) {
  const clock = new SettableClock(now);
  const citizens = new InMemoryCitizens();
  const known = [MINTIC, SUPERSALUD, MEDELLIN];
  // Writes place cases on the watch index with their entity's thresholds (as the table's store does).
  const cases = new InMemoryCaseStore(citizens, {
    thresholds: (id) => known.find((e) => e.id === id)?.semaforo ?? DEFAULT_SEMAFORO,
  });
  const entities = new InMemoryEntityStore(known);
  const signer = await testSigner(clock);
  const notices = new InMemoryNoticeStore(cases);
  const notifier = new RecordingNotifier();
  const directory = new FakeDirectory();
  const proposals = new InMemoryProposalStore();
  const routing = new RecordingQueue<RoutingMessage>();
  // E-participation: the stores share the table as the DynamoDB ones do (dispositions move the
  // consultation's counters; the comments' INSERT records are what the counting pipe passes).
  const consultations = new InMemoryConsultationStore();
  const counters = new InMemoryConsultationCounters();
  const comments = new InMemoryCommentStore(consultations, counters);
  const groups = new InMemoryCampaignGroupStore();
  const participation = new RecordingQueue<CommentMessage>();
  const limits = new InMemoryRateLimiter();
  const publications = new InMemoryPublicationStore();
  const filing: FileCaseDeps = {
    cases,
    entities,
    signer,
    clock,
    idempotencyTtlHours: 24,
    filingBudgetMs: 5_000,
    noticeSecret: NOTICE_SECRET,
  };
  const act: ActDeps = { cases, entities, clock, filing: async () => filing };
  const read: ReadDeps = { cases, entities, clock };
  const petitioners: PetitionerDeps = {
    cases,
    citizens,
    clock,
    pseudonyms: testPseudonyms(),
    limits,
    trackingAttempts: { limit: 10, windowSeconds: 900 },
  };
  const notify: NotifyDeps = {
    cases,
    entities,
    notices,
    notifier,
    directory,
    signer,
    noticeSecrets: [NOTICE_SECRET],
    clock,
    claimLeaseSeconds: 60,
  };
  return {
    clock,
    cases,
    entities,
    signer,
    notices,
    notifier,
    directory,
    proposals,
    routing,
    filing,
    act,
    read,
    notify,
    citizens,
    petitioners,
    consultations,
    counters,
    comments,
    groups,
    participation,
    publications,
    limits,
  };
}
export type World = Awaited<ReturnType<typeof world>>;

/** Files as a citizen on the web (or as `command` says), and returns the stored case. */
export async function file(
  w: World,
  filing: Filing = petition(),
  command: Partial<FileCaseCommand> = {},
): Promise<{ record: CaseRecord; trackingCode: string; receipt: string }> {
  const filed = await fileCase(w.filing, { filing, actor: citizen, ...command });
  const record = await w.cases.get(filed.radicado);
  if (!record) throw new Error(`case ${filed.radicado} was not stored`);
  return { record, trackingCode: filed.trackingCode, receipt: filed.receipt };
}

/** Files and routes (as the routing queue's consumer would): the case is in an office inbox. */
export async function fileRouted(
  w: World,
  filing: Filing = petition(),
  command: Partial<FileCaseCommand> = {},
): Promise<{ record: CaseRecord; trackingCode: string }> {
  const { record, trackingCode } = await file(w, filing, command);
  const outcome = await routeCase(w, record.radicado);
  if (outcome !== 'routed') throw new Error(`case ${record.radicado} was not routed: ${outcome}`);
  const routed = await w.cases.get(record.radicado);
  return { record: routed!, trackingCode };
}

/** The UseCaseError a use case refused with (fails the test when it did not refuse so). */
export async function refusalOf(work: Promise<unknown>): Promise<UseCaseError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof UseCaseError)) {
    throw new Error(`expected a UseCaseError, got ${error === undefined ? 'success' : String(error)}`);
  }
  return error;
}

/**
 * Runs `sideEffect` the next time `method` of `target` is called, before the call itself: what
 * another request did meanwhile (a race, made deterministic). Later calls go straight through.
 */
export function onceBefore<T extends object>(
  target: T,
  method: keyof T & string,
  sideEffect: () => Promise<unknown>,
): void {
  const original = target[method] as (...args: unknown[]) => Promise<unknown>;
  let done = false;
  Object.defineProperty(target, method, {
    configurable: true,
    writable: true,
    value: async (...args: unknown[]) => {
      if (!done) {
        done = true;
        await sideEffect();
      }
      return original.apply(target, args);
    },
  });
}

/**
 * A receipt (whole days before `now`, same time of day) at which a new case of `kind` at `entity`
 * is at semáforo `level` at `now`, by the real legal clock; overdue by two business days or more.
 */
export function receivedFor(entity: Entity, kind: Kind, level: Semaforo, now: string = NOW): string {
  for (let days = 1; days < 120; days++) {
    const receivedAt = new Date(Date.parse(now) - days * DAY_MS).toISOString();
    const d = watchCase(
      {
        radicado: `${entity.id}-2026-000001`,
        entityId: entity.id,
        status: 'routed',
        kind,
        termClass: termClassFor(entity, kind),
        receivedAt,
        clockSettings: clockSettings(entity),
        clockEvents: [],
        office: entity.defaultOffice,
      },
      now,
      entity.semaforo ?? DEFAULT_SEMAFORO,
    );
    if (d.status?.semaforo === level && (level !== 'overdue' || d.status.businessDaysOverdue >= 2)) {
      return receivedAt;
    }
  }
  throw new Error(`no receipt puts a ${kind} at ${level} at ${now}`);
}

/** An officer's action with the case's current ETag, as a client that just read it. */
export async function actNow(w: World, actor: Actor, radicado: string, action: unknown) {
  const current = await w.cases.get(radicado);
  if (!current) throw new Error(`no case ${radicado}`);
  return actOnCase(w.act, actor, { radicado, ifMatch: etagOf(current), action });
}

/**
 * A case whose completion was requested `daysAgo` days ago, the day after it was filed (the
 * petitioner never answered): the clock is back at `now` when it returns.
 */
export async function suspendedSince(
  w: World,
  daysAgo: number,
  filing: Filing = petition(),
): Promise<CaseRecord> {
  const now = w.clock.now();
  w.clock.set(new Date(now.getTime() - (daysAgo + 1) * DAY_MS));
  const { record } = await fileRouted(w, filing);
  w.clock.advance(DAY_MS);
  await actNow(w, staff(['supervisor'], { entityId: filing.entityId }), record.radicado, {
    type: 'request_completion',
    what: 'Adjunte la dirección.',
  });
  w.clock.set(now);
  return (await w.cases.get(record.radicado))!;
}

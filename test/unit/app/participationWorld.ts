/**
 * E-participation on the use cases' world (world.ts): consultations made and opened as a
 * communicator does, comments sent as citizens do, and the two asynchronous steps the system
 * runs after them — the participation consumer (the queue → ingestComments) and the counting
 * pipe (the table stream's INSERT records → countStreamComments) — run when a test says so.
 */
import type * as z from 'zod';
import { countStreamComments } from '#app/commentCount.ts';
import { type IngestOutcome, ingestComments } from '#app/commentIngest.ts';
import { type AcceptedComment, type SubmitCommentDeps, submitComment } from '#app/commentSubmit.ts';
import { actOnConsultation, closeDueConsultations } from '#app/consultationActions.ts';
import { createConsultation } from '#app/consultationCreate.ts';
import {
  type CommentInput,
  CommentInputSchema,
  type CommentMessage,
  newReference,
} from '#domain/participation/comment.ts';
import {
  type Consultation,
  type ConsultationInput,
  ConsultationInputSchema,
} from '#domain/participation/consultation.ts';
import { testPseudonyms } from '#test/support/fakes/index.ts';
import { communicator, DAY_MS, HOUR_MS, NOW, type World } from './world.ts';

/** The pseudonym key of the participation tests (one version). */
export const KEYS = testPseudonyms('participation-key-for-tests');
export const CAMPAIGN = '¡No al cobro de las zonas wifi rurales!';

/** A MINTIC question of two sections, taking comments from an hour ago for ten days. */
export function consultationInput(overrides: Partial<z.input<typeof ConsultationInputSchema>> = {}) {
  return ConsultationInputSchema.parse({
    entityId: 'MINTIC',
    type: 'question',
    title: 'Zonas wifi rurales',
    summary: 'Su opinión sobre el cobro del servicio.',
    sections: [
      { title: 'Pregunta 1', body: '¿Debe cobrarse?' },
      { title: 'Pregunta 2', body: '¿Qué horario prefiere?' },
    ],
    opensAt: new Date(Date.parse(NOW) - HOUR_MS).toISOString(),
    closesAt: new Date(Date.parse(NOW) + 10 * DAY_MS).toISOString(),
    ...overrides,
  }) satisfies ConsultationInput;
}

export const created = (w: World, overrides: Parameters<typeof consultationInput>[0] = {}) =>
  createConsultation(w, communicator, consultationInput(overrides));

/** Created and opened by the communicator. */
export async function opened(
  w: World,
  overrides: Parameters<typeof consultationInput>[0] = {},
): Promise<Consultation> {
  const c = await created(w, overrides);
  return actOnConsultation(w, communicator, c.id, 'open');
}

export const submitDeps = (w: World, extra: Partial<SubmitCommentDeps> = {}): SubmitCommentDeps => ({
  consultations: w.consultations,
  comments: w.comments,
  queue: w.participation,
  clock: w.clock,
  pseudonyms: KEYS,
  limits: w.limits,
  commentsPerAuthorHour: 30,
  ...extra,
});

/** A citizen's comment from a device of its own (or as `options` say), validated as the API does. */
export function comment(
  w: World,
  consultationId: string,
  input: Partial<z.input<typeof CommentInputSchema>> = {},
  options: { deviceKey?: string; idempotencyKey?: string; deps?: Partial<SubmitCommentDeps> } = {},
): Promise<AcceptedComment> {
  const body: CommentInput = CommentInputSchema.parse({
    sectionId: 's1',
    stance: 'oppose',
    text: CAMPAIGN,
    ...input,
  });
  return submitComment(submitDeps(w, options.deps), {
    consultationId,
    input: body,
    identity: { deviceKey: options.deviceKey ?? `device-${newReference()}` },
    ...(options.idempotencyKey !== undefined ? { idempotencyKey: options.idempotencyKey } : {}),
  });
}

/** A comment the API accepted (at `acceptedAt`), as a queue message. */
export function message(consultationId: string, overrides: Partial<CommentMessage> = {}): CommentMessage {
  return {
    type: 'comment',
    reference: newReference(),
    consultationId,
    sectionId: 's1',
    stance: 'oppose',
    text: CAMPAIGN,
    acceptedAt: NOW,
    author: { kind: 'device', hash: 'c'.repeat(64) },
    ...overrides,
  };
}

/** The participation consumer: writes what is on the queue, as one batch. */
export async function consume(w: World): Promise<IngestOutcome> {
  return ingestComments(w, w.participation.messages.splice(0));
}

const piped = new WeakMap<World, number>();

/** The counting pipe: the INSERT records not passed yet, as one batch. */
export async function pipe(w: World): Promise<number> {
  const records = w.comments.inserts();
  const from = piped.get(w) ?? 0;
  piped.set(w, records.length);
  return countStreamComments(w, records.slice(from));
}

/** What the system does after comments were accepted: written by the consumer, counted by the pipe. */
export async function deliver(w: World): Promise<IngestOutcome> {
  const outcome = await consume(w);
  await pipe(w);
  return outcome;
}

/** The clock just past closesAt and the schedule's closing run. */
export async function closeNow(w: World, c: Pick<Consultation, 'id' | 'closesAt'>): Promise<Consultation> {
  if (w.clock.now().getTime() <= Date.parse(c.closesAt)) w.clock.set(new Date(Date.parse(c.closesAt) + 1000));
  await closeDueConsultations(w);
  const closed = await w.consultations.get(c.id);
  if (closed?.status !== 'closed') throw new Error(`consultation ${c.id} did not close`);
  return closed;
}

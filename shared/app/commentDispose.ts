/**
 * A communicator answers comments: one disposition (accepted, partially accepted, not accepted,
 * with reasons) per comment, or per campaign group for all its members at once. Allowed while the
 * consultation is closed or answered (before the report is published). Each comment is changed on
 * the condition of its version and the disposition counters move in the same transaction.
 *
 * A group is answered in slices of at most GROUP_SLICE comments per request; `remaining` says
 * whether members are left, and the same request again goes on where it stopped (members that
 * already have this disposition are skipped), so a campaign of any size is answered in bounded
 * requests.
 */
import type { Actor } from '#domain/actor.ts';
import type { Disposition, DispositionValue, StoredComment } from '#domain/participation/comment.ts';
import type { Clock } from '#ports/index.ts';
import {
  type CommentStore,
  type ConsultationStore,
  type DispositionChange,
  StaleCommentError,
} from '#ports/participation.ts';
import { requireDuty } from './access.ts';
import { ownConsultationNow } from './consultationCreate.ts';
import { invalid, UseCaseError } from './errors.ts';

export const GROUP_SLICE = 2000;

export interface DispositionItem {
  reference?: string | undefined;
  group?: string | undefined;
  value: DispositionValue;
  reasons: string;
}

export interface DispositionResult {
  updated: number;
  items: { reference?: string; group?: string; comments: number; remaining: boolean }[];
}

const same = (c: StoredComment, item: DispositionItem) =>
  c.disposition?.value === item.value && c.disposition.reasons === item.reasons;

export async function disposeComments(
  deps: { consultations: ConsultationStore; comments: CommentStore; clock: Clock },
  actor: Actor,
  consultationId: string,
  items: readonly DispositionItem[],
): Promise<DispositionResult> {
  requireDuty(actor, 'participation');
  for (let attempt = 0; ; attempt++) {
    const c = await ownConsultationNow(deps, actor, consultationId);
    if (c.status !== 'closed' && c.status !== 'answered') {
      throw new UseCaseError('conflict', {
        es: `Las respuestas a los comentarios se dan cuando la consulta ya cerró y antes de publicar su informe global (está en estado ${c.status})`,
        en: `dispositions are given once the consultation is closed and before its report is published (it is ${c.status})`,
      });
    }
    const at = deps.clock.now().toISOString();
    const wanted = new Map<string, DispositionItem & { viaGroup?: string }>();
    const result: DispositionResult = { updated: 0, items: [] };
    const refs = items.flatMap((i) => (i.reference !== undefined ? [i.reference] : []));
    const byRef = new Map((await deps.comments.get(c.id, refs)).map((x) => [x.reference, x]));
    for (const [index, item] of items.entries()) {
      if (item.reference !== undefined) {
        if (!byRef.has(item.reference)) {
          throw invalid(
            `items.${index}.reference`,
            'not_found',
            `no es un comentario de esta consulta (${c.id}): revise la referencia`,
            'is not a comment of this consultation',
            'not_found',
          );
        }
        wanted.set(item.reference, item);
        result.items.push({ reference: item.reference, comments: 1, remaining: false });
        continue;
      }
      const group = item.group!;
      let cursor: string | undefined;
      let members = 0;
      let taken = 0;
      let remaining = false;
      do {
        const page = await deps.comments.listGroupMembers(c.id, group, {
          limit: 500,
          ...(cursor ? { cursor } : {}),
        });
        for (const m of page.items) {
          members++;
          if (same(m, item)) continue;
          if (taken >= GROUP_SLICE) {
            remaining = true;
            break;
          }
          taken++;
          wanted.set(m.reference, { ...item, viaGroup: group });
        }
        cursor = page.cursor;
      } while (cursor && !remaining);
      if (members === 0) {
        throw invalid(
          `items.${index}.group`,
          'not_found',
          `no es un grupo de esta consulta (${c.id}): GET …/groups los lista`,
          'is not a group of this consultation',
          'not_found',
        );
      }
      result.items.push({ group, comments: taken, remaining });
    }
    // Fresh versions (the group index is eventually consistent): read the comments themselves.
    const fresh = await deps.comments.get(c.id, [...wanted.keys()]);
    const changes: DispositionChange[] = [];
    for (const comment of fresh) {
      const item = wanted.get(comment.reference)!;
      if (same(comment, item)) continue;
      const disposition: Disposition = {
        value: item.value,
        reasons: item.reasons,
        at,
        by: actor.subject,
        ...(item.viaGroup !== undefined ? { viaGroup: item.viaGroup } : {}),
      };
      changes.push({ comment, disposition });
    }
    try {
      await deps.comments.applyDispositions(c, changes);
      result.updated = changes.length;
      return result;
    } catch (error) {
      if (!(error instanceof StaleCommentError) || attempt >= 3) {
        if (error instanceof StaleCommentError) {
          throw new UseCaseError('conflict', {
            es: 'Algunos de estos comentarios cambiaron mientras se guardaban las respuestas: consúltelos de nuevo y reintente',
            en: `${error.message}: read again and retry`,
          });
        }
        throw error;
      }
    }
  }
}

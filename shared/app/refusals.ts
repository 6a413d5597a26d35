/** A lifecycle refusal as the use case's error: the status it maps to and the problem type. */
import type { Decision, RefusalReason } from '#domain/case/lifecycle.ts';
import { UseCaseError } from './errors.ts';

/** The field a refusal message names (`newDueDate: …`), else the action itself. */
function fieldOf(message: string): string {
  const m = /^(?:invalid action: )?([a-zA-Z][\w.]*): /.exec(message);
  return m?.[1] ?? 'type';
}

export function lifecycleRefusal(
  decision: Extract<Decision, { ok: false }>,
  notFound: () => UseCaseError,
): UseCaseError {
  const map: Record<RefusalReason, () => UseCaseError> = {
    invalid: () =>
      new UseCaseError('invalid', decision.message, [
        { field: fieldOf(decision.message), message: decision.message },
      ]),
    not_found: notFound,
    forbidden: () => new UseCaseError('forbidden', decision.message),
    illegal_transition: () =>
      new UseCaseError('conflict', decision.message, [], {
        type: 'illegal-transition',
        extensions: { caseStatus: decision.status },
      }),
    too_early: () => new UseCaseError('invalid', decision.message, [], { type: 'too-early' }),
    too_late: () => new UseCaseError('invalid', decision.message, [], { type: 'too-late' }),
  };
  return map[decision.reason]();
}

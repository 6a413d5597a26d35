/** A lifecycle refusal as the use case's error: the status it maps to and the problem type. */
import type { Decision, RefusalReason } from '#domain/case/lifecycle.ts';
import type { FieldIssue } from '#domain/issues.ts';
import { UseCaseError } from './errors.ts';

type Refusal = Extract<Decision, { ok: false }>;

/**
 * The field issue of a refusal that names a field (its message already starts with the field); an
 * invalid action that names none is about the action itself (`type`).
 */
function issuesOf(decision: Refusal, fallback?: FieldIssue['code']): FieldIssue[] {
  if (decision.field !== undefined) {
    return [
      {
        field: decision.field,
        code: decision.code ?? fallback ?? 'invalid_value',
        message: decision.message,
      },
    ];
  }
  if (fallback === undefined) return [];
  return [{ field: 'type', code: fallback, message: decision.message }];
}

export function lifecycleRefusal(decision: Refusal, notFound: () => UseCaseError): UseCaseError {
  const map: Record<RefusalReason, () => UseCaseError> = {
    invalid: () => new UseCaseError('invalid', decision.message, issuesOf(decision, 'invalid_value')),
    not_found: notFound,
    forbidden: () => new UseCaseError('forbidden', decision.message),
    illegal_transition: () =>
      new UseCaseError('conflict', decision.message, [], {
        type: 'illegal-transition',
        extensions: { caseStatus: decision.status },
      }),
    too_early: () =>
      new UseCaseError('invalid', decision.message, issuesOf(decision, 'too_early'), { type: 'too-early' }),
    too_late: () =>
      new UseCaseError('invalid', decision.message, issuesOf(decision, 'too_late'), { type: 'too-late' }),
  };
  return map[decision.reason]();
}

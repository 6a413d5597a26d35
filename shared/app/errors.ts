import type { FieldIssue } from '#domain/case/filing.ts';

/** A use case's refusal; the HTTP layer maps `code` to a status, consumers to a rejection. */
export class UseCaseError extends Error {
  constructor(
    readonly code: 'invalid' | 'not_found' | 'conflict' | 'unauthorized',
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
    this.name = 'UseCaseError';
  }
}

export const invalid = (field: string, message: string) =>
  new UseCaseError('invalid', `invalid ${field}: ${message}`, [{ field, message }]);

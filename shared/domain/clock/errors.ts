/**
 * The one error the clock throws: bad or out-of-range input, with the input field that caused it.
 */

export type ClockErrorCode =
  /** The input is malformed: wrong type, unknown term class, unparseable date. */
  | 'invalid'
  /** The input is well formed but outside what the law or the calendar covers (year range, rule sets). */
  | 'out_of_range'
  /** The input contradicts the law (an entity term longer than the legal one). */
  | 'contrary_to_law';

export class ClockError extends Error {
  override readonly name = 'ClockError';
  constructor(
    readonly code: ClockErrorCode,
    /** The input field at fault, as a path: `filed`, `entity.terms.general`, `events[2].at`, `cases[1].filed`. */
    readonly field: string,
    /** What is wrong, in one line. */
    readonly detail: string,
  ) {
    super(`${field}: ${detail}`);
  }

  /** The same error, with its field placed under a prefix (`cases[3]`). */
  under(prefix: string): ClockError {
    const f = this.field;
    const field = f === '' || f === 'input' ? prefix : f.startsWith('[') ? `${prefix}${f}` : `${prefix}.${f}`;
    return new ClockError(this.code, field, this.detail);
  }

  /** The same error, with another field (the input that drove an out-of-range computation). */
  withField(field: string): ClockError {
    return new ClockError(this.code, field, this.detail);
  }
}

export function isClockError(e: unknown): e is ClockError {
  return e instanceof ClockError;
}

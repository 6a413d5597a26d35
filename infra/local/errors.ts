/**
 * An error of the local runtime itself (not of a handler): its message is one line that says what
 * went wrong and what to do about it, ready to print as is (`npm start` prints it and exits 1).
 */
export class LocalSystemError extends Error {
  override readonly name = 'LocalSystemError';
}

/** The message of any thrown value, on one line. */
export function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** A line sink for the runtime's own messages (never request or message bodies). */
export type LocalLog = (line: string) => void;

export const consoleLog: LocalLog = (line) => {
  process.stderr.write(`[local] ${line}\n`);
};

export const silentLog: LocalLog = () => {};

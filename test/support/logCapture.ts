/**
 * Everything a test's process logs while it runs: the console (Powertools logs through it locally,
 * POWERTOOLS_DEV) and anything written to stdout or stderr directly. `start` in beforeAll, `stop`
 * in afterAll; `text()` is all of it, to search for what must never be logged.
 */
const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

const asText = (value: unknown) =>
  typeof value === 'string'
    ? value
    : value instanceof Uint8Array
      ? Buffer.from(value).toString('utf8')
      : JSON.stringify(value);

export function captureLogs() {
  const captured: string[] = [];
  const writes = { out: process.stdout.write, err: process.stderr.write };
  const consoled = Object.fromEntries(CONSOLE_METHODS.map((m) => [m, console[m]])) as Record<
    (typeof CONSOLE_METHODS)[number],
    (...args: unknown[]) => void
  >;
  return {
    start(): void {
      const tap =
        (original: typeof process.stdout.write, stream: NodeJS.WriteStream) =>
        (chunk: unknown, ...rest: unknown[]): boolean => {
          captured.push(asText(chunk));
          return (original as (...a: unknown[]) => boolean).call(stream, chunk, ...rest);
        };
      process.stdout.write = tap(writes.out, process.stdout) as typeof process.stdout.write;
      process.stderr.write = tap(writes.err, process.stderr) as typeof process.stderr.write;
      for (const m of CONSOLE_METHODS) {
        console[m] = (...args: unknown[]) => {
          captured.push(args.map(asText).join(' '));
        };
      }
    },
    stop(): void {
      process.stdout.write = writes.out;
      process.stderr.write = writes.err;
      for (const m of CONSOLE_METHODS) console[m] = consoled[m];
    },
    text: (): string => captured.join(''),
  };
}

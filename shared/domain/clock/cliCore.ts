/**
 * The clock's command line without the I/O: arguments and stdin text in, exit code and output
 * text out (cli.ts wires it to the process; tests call it directly).
 * - one case `{ termClass, filed, entity?, events? }` → one result;
 * - `{ "cases": [ {name, ...case} ] }` (the shape of vectors.json) → `{ "results": [ {name, ...result} ] }`.
 * `due` prints JSON; `explain` prints the explanation as text; `status` needs `"at"` in each case
 * (and optional `"thresholds"`) and prints JSON.
 * Bad input: one line on stderr naming the field, exit code 2, nothing on stdout.
 */
import { ClockError } from './errors.ts';
import { explainText } from './explain.ts';
import { type ClockResult, computeClock } from './result.ts';
import type { ClockInput } from './schema.ts';
import { clockStatus, type SemaforoThresholds } from './status.ts';

export const COMMANDS = ['due', 'explain', 'status'] as const;
export type Command = (typeof COMMANDS)[number];

class InputError extends Error {}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function one(command: Command, input: unknown): { json?: unknown; text?: string } {
  if (!isRecord(input)) throw new ClockError('invalid', 'input', 'expected a JSON object');
  if (command === 'status') {
    const at = input.at;
    if (typeof at !== 'string')
      throw new ClockError('invalid', 'at', 'expected an ISO 8601 instant (required by status)');
    const thresholds = isRecord(input.thresholds)
      ? (input.thresholds as Partial<SemaforoThresholds>)
      : undefined;
    return { json: clockStatus(input as ClockInput, at, thresholds) };
  }
  const result: ClockResult = computeClock(input as ClockInput);
  return command === 'due' ? { json: result } : { text: explainText(result) };
}

function run(command: Command, raw: string): string {
  let input: unknown;
  try {
    input = JSON.parse(raw);
  } catch (e) {
    throw new InputError(`input: malformed JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (isRecord(input) && 'cases' in input) {
    const cases = input.cases;
    if (!Array.isArray(cases)) throw new ClockError('invalid', 'cases', 'expected an array');
    const outputs = cases.map((c: unknown, i) => {
      try {
        const name = isRecord(c) && typeof c.name === 'string' ? c.name : `case ${i}`;
        return { name, ...one(command, c) };
      } catch (e) {
        throw e instanceof ClockError ? e.under(`cases[${i}]`) : e;
      }
    });
    if (command === 'explain') return outputs.map((o) => `=== ${o.name} ===\n${o.text ?? ''}`).join('\n');
    return `${JSON.stringify({ results: outputs.map((o) => ({ name: o.name, ...(o.json as object) })) }, null, 2)}\n`;
  }
  const o = one(command, input);
  return o.text ?? `${JSON.stringify(o.json, null, 2)}\n`;
}

export interface CliOutcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function failure(message: string, code: number): CliOutcome {
  return { code, stdout: '', stderr: `clock: ${message.replace(/\s+/g, ' ').trim()}\n` };
}

/** Runs one command on the stdin text. Never throws. */
export function runCli(args: readonly string[], stdin: string): CliOutcome {
  const command = args.find((a) => !a.startsWith('-'));
  if (!COMMANDS.includes(command as Command)) {
    return failure(
      `usage: clock <${COMMANDS.join('|')}> < input.json (got ${JSON.stringify(command ?? '')})`,
      2,
    );
  }
  try {
    return { code: 0, stdout: run(command as Command, stdin), stderr: '' };
  } catch (e) {
    if (e instanceof ClockError) return failure(`invalid ${e.field}: ${e.detail}`, 2);
    if (e instanceof InputError) return failure(e.message, 2);
    return failure(`internal error: ${e instanceof Error ? e.message : String(e)}`, 1);
  }
}

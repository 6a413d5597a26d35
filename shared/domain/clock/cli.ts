/**
 * `npm run -s clock -- due | explain | status`: JSON on stdin; see cliCore.ts for the contract.
 * Bad input: one line on stderr naming the field, exit code 2, nothing on stdout.
 */
import { runCli } from './cliCore.ts';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

const outcome = runCli(process.argv.slice(2), await readStdin());
if (outcome.stdout) process.stdout.write(outcome.stdout);
if (outcome.stderr) process.stderr.write(outcome.stderr);
process.exitCode = outcome.code;

/**
 * `npm start`: the whole system on this machine. PORT (default 3000) and DATA_DIR (keep data
 * between runs, one Urna at a time; default in memory) come from the environment. Ctrl-C or
 * SIGTERM to any process of the tree (npm, tsx, this, DynamoDB Local) stops all of it; any
 * failure prints one line on stderr and exits 1. The sweep runs once at start (lifetime.ts).
 */
import { dirname, resolve } from 'node:path';
import { describePattern } from '../../shared/queue/eventPattern.ts';
import { FUNCTIONS, PIPES, patternsOf, QUEUES } from '../catalog.ts';
import { consoleLog, LocalSystemError, oneLine } from './errors.ts';
import { watchAncestors } from './lifetime.ts';
import { OUTBOX_PATH, outboxFile } from './outbox.ts';
import { seed } from './seed.ts';
import { removeState, STATE_FILE, writeState } from './state.ts';
import { DEFAULT_PORT, type LocalSystem, startLocalSystem } from './system.ts';

function fail(error: unknown): never {
  process.stderr.write(`urna: ${oneLine(error)}\n`);
  process.exit(1);
}

function parsePort(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_PORT;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new LocalSystemError(`PORT must be a number between 0 and 65535, not "${value}"`);
  }
  return port;
}

async function main(): Promise<void> {
  const port = parsePort(process.env.PORT);
  const dataDir = process.env.DATA_DIR ? resolve(process.env.DATA_DIR) : undefined;
  let system: LocalSystem | undefined;
  let stopping = false;

  const shutdown = async (code: number, reason?: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    if (reason) process.stderr.write(`urna: ${reason}\n`);
    removeState();
    await system?.stop();
    process.exit(code);
  };
  let firstSignalAt = 0;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      // A second Ctrl-C: do not wait. Not the same one relayed by a parent a moment later (a
      // terminal signals the whole process group), which would cut a clean stop short.
      if (stopping) {
        if (Date.now() - firstSignalAt > 1000) process.exit(1);
        return;
      }
      firstSignalAt = Date.now();
      process.stdout.write('\nstopping…\n');
      void shutdown(0);
    });
  }
  // npm (or a process between it and this one) gone, by a SIGTERM to it alone say: stop too.
  watchAncestors((pid) => void shutdown(0, `the process that started Urna (pid ${pid}) is gone: stopping`));
  // Lambda fails the invocation on an unhandled rejection; here one line, and the server goes on.
  process.on('unhandledRejection', (reason) =>
    consoleLog(`unhandled rejection in a handler: ${oneLine(reason)}`),
  );

  system = await startLocalSystem({
    port,
    ...(dataDir ? { dataDir } : {}),
    // Next to the state file, where `npm run -s token` finds it.
    devIssuerKeyDir: dirname(STATE_FILE),
    ...(process.env.RECEIPT_SIGNING_KEY ? { receiptSigningKey: process.env.RECEIPT_SIGNING_KEY } : {}),
    ...(process.env.PSEUDONYM_KEYS ? { pseudonymKeys: process.env.PSEUDONYM_KEYS } : {}),
    ...(process.env.LOG_LEVEL ? { logLevel: process.env.LOG_LEVEL } : {}),
    ...(process.env.OUTBOX_DIR ? { outboxDir: resolve(process.env.OUTBOX_DIR) } : {}),
    onFatal: (error) => void shutdown(1, error.message),
  });
  if (stopping) return;
  const seeded = await seed();
  // What a crash left half-done (a case not routed, a notice not sent) is relayed now, not in
  // five minutes: the sweep runs once at start.
  system.fire('Sweep').catch((error: unknown) => consoleLog(`the first sweep failed: ${oneLine(error)}`));
  writeState({
    pid: process.pid,
    baseUrl: system.baseUrl,
    startedAt: new Date().toISOString(),
    env: { ...system.env },
  });

  const lines: string[] = [];
  lines.push(`Urna is running at ${system.baseUrl}  (data: ${dataDir ? `kept in ${dataDir}` : 'in memory'})`);
  lines.push('', 'Endpoints:');
  const pathWidth = Math.max(...system.routes.map((r) => r.path.length));
  for (const route of system.routes) {
    lines.push(
      `  ${route.method.padEnd(6)} ${system.baseUrl}${route.path.padEnd(pathWidth)}  ${route.functionName}`,
    );
  }
  lines.push('', 'Queues (consumer; failed messages retry in 2 s, then go to the DLQ):');
  const queueWidth = Math.max(...QUEUES.map((q) => q.name.length));
  for (const queue of QUEUES) {
    const consumer = FUNCTIONS.find((f) => f.trigger.type === 'queue' && f.trigger.queue === queue.name);
    lines.push(
      `  ${queue.name.padEnd(queueWidth)} → ${consumer?.name ?? '(none)'}  ${system.queueUrls[queue.name]}`,
    );
  }
  const runningPipes = new Set(system.pipes.map((p) => p.name));
  const running = PIPES.filter((pipe) => runningPipes.has(pipe.name));
  if (running.length > 0) {
    lines.push(
      '',
      'Pipes (table stream → function, in order; what a target keeps refusing goes to the pipe DLQ):',
    );
    const pipeWidth = Math.max(...running.map((p) => p.name.length));
    for (const pipe of running) {
      lines.push(
        `  ${pipe.name.padEnd(pipeWidth)}  ${patternsOf(pipe.filter)
          .map((p) => describePattern(p))
          .join(' | ')} → ${pipe.target.function} (function)  ` +
          `DLQ ${system.pipeDlqUrls[pipe.name] ?? '(none)'}`,
      );
    }
  }
  const schedules = FUNCTIONS.flatMap((f) =>
    f.trigger.type === 'schedule' ? [`  ${f.name} every ${f.trigger.everyMinutes} min`] : [],
  );
  if (schedules.length > 0) lines.push('', 'Schedules:', ...schedules);
  lines.push('', `DynamoDB Local ${system.endpoints.dynamodb}   SQS (fauxqs) ${system.endpoints.sqs}`);
  lines.push(
    `Outbox (notices to petitioners and officers, instead of email): ${outboxFile(system.outboxDir)}`,
    `  read it: curl -s ${system.baseUrl}${OUTBOX_PATH}`,
  );
  if (seeded.length > 0) lines.push('', ...seeded);
  lines.push(
    '',
    'Try:',
    `  curl -s ${system.baseUrl}/v1/public/entities`,
    '  TOKEN=$(npm run -s token -- --entity MINTIC --office conectividad --role officer)',
    `  curl -s '${system.baseUrl}/v1/inbox?office=conectividad' -H "authorization: Bearer $TOKEN"`,
    '',
    'Ctrl-C to stop.',
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch(fail);

/**
 * The local stand-in for EventBridge rate rules: each schedule-triggered function is invoked every
 * `everyMinutes` with a real `ScheduledEvent` (the first time one period after start, as a new
 * rate rule does). `fire(name)` invokes one now and returns its result (tests use it).
 * AWS retries a failed asynchronous invocation twice; locally a failure is logged and the next
 * tick is the retry.
 */
import { randomUUID } from 'node:crypto';
import type { ScheduledEvent } from 'aws-lambda';
import type { FunctionSpec } from '../catalog.ts';
import { type LocalLog, LocalSystemError, oneLine } from './errors.ts';
import { type FunctionRunner, LOCAL_ACCOUNT_ID } from './lambda.ts';

export interface LocalScheduler {
  /** Invokes a schedule-triggered function now; resolves with its result, rejects with its error. */
  fire(functionName: string): Promise<unknown>;
  stop(): Promise<void>;
}

export function scheduledEvent(
  fn: FunctionSpec,
  region: string,
  at = new Date(),
): ScheduledEvent<Record<string, never>> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: LOCAL_ACCOUNT_ID,
    time: `${at.toISOString().slice(0, 19)}Z`,
    region,
    resources: [`arn:aws:events:${region}:${LOCAL_ACCOUNT_ID}:rule/urna-${fn.name}`],
    detail: {},
  };
}

export function startScheduler(options: {
  functions: readonly FunctionSpec[];
  runner: FunctionRunner;
  region: string;
  log: LocalLog;
  /** Start the timers (default true); fire() works either way. */
  timers?: boolean;
}): LocalScheduler {
  const scheduled = options.functions.filter((fn) => fn.trigger.type === 'schedule');
  const running = new Set<Promise<unknown>>();
  const timers: NodeJS.Timeout[] = [];

  const invoke = (fn: FunctionSpec): Promise<unknown> => {
    const run = options.runner.invoke(fn, scheduledEvent(fn, options.region));
    running.add(run);
    void run.then(
      () => running.delete(run),
      () => running.delete(run),
    );
    return run;
  };

  if (options.timers !== false) {
    for (const fn of scheduled) {
      if (fn.trigger.type !== 'schedule') continue;
      const minutes = fn.trigger.everyMinutes;
      timers.push(
        setInterval(() => {
          invoke(fn).catch((error: unknown) => {
            options.log(`${fn.name} (every ${minutes} min) failed: ${oneLine(error)}`);
          });
        }, minutes * 60_000),
      );
    }
  }

  return {
    fire: (functionName) => {
      const fn = scheduled.find((f) => f.name === functionName);
      if (!fn) {
        const known = scheduled.map((f) => f.name).join(', ') || 'none';
        return Promise.reject(
          new LocalSystemError(`${functionName} is not a schedule-triggered function (those are: ${known})`),
        );
      }
      return invoke(fn);
    },
    stop: async () => {
      for (const timer of timers) clearInterval(timer);
      await Promise.allSettled([...running]);
    },
  };
}

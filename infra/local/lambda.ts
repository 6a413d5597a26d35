/**
 * Runs a function's handler in this process the way Lambda would: the module imported once and
 * lazily from the catalog's `entry` (its top level is the cold start), a fresh `Context` per
 * invocation, and the function's timeout enforced on the awaited result.
 *
 * What cannot be faithful in one process: a timed-out handler keeps running in the background
 * (Lambda would freeze its sandbox), and every function shares one `process.env`.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { withTableAccess } from '../../shared/adapters/dynamodb/tableAccess.ts';
import { type FunctionSpec, tableAccessOf } from '../catalog.ts';
import { LocalSystemError } from './errors.ts';

/** The project root (entries in the catalog are relative to it). */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const LOCAL_ACCOUNT_ID = '000000000000';

/**
 * Used when the catalog leaves a function's timeout or memory unset. Generous on purpose: the
 * first local invocation also pays for TypeScript compilation of the handler's module graph.
 */
export const DEFAULT_TIMEOUT_SECONDS = 30;
export const DEFAULT_MEMORY_MB = 1024;

export type LambdaHandler = (event: unknown, context: Context) => unknown;

/** What the cost bench is told of each invocation: the function, its event, the handler's time. */
export type InvocationObserver = (fn: FunctionSpec, event: unknown, ms: number) => void;
let observer: InvocationObserver | undefined;
const invoked = new AsyncLocalStorage<string>();

/** Tells `o` of every invocation until the returned function is called (test/bench/_meter.ts). */
export function observeInvocations(o: InvocationObserver): () => void {
  observer = o;
  return () => {
    observer = undefined;
  };
}

/** The function whose invocation the caller runs in, if any: the cost bench attributes calls by it. */
export function invokedFunction(): string | undefined {
  return invoked.getStore();
}

/** Raised (instead of the handler's result) when a handler runs past its function's timeout. */
export class LambdaTimeoutError extends Error {
  override readonly name = 'LambdaTimeoutError';
}

export interface InvokeOptions {
  /** Cap the time allowed below the function's own timeout (API Gateway waits 30 s at most). */
  maxSeconds?: number;
  /** Use this request id as the context's awsRequestId. */
  requestId?: string;
}

export interface FunctionRunner {
  /** Invokes the function's handler; rejects with the handler's error or a LambdaTimeoutError. */
  invoke(fn: FunctionSpec, event: unknown, options?: InvokeOptions): Promise<unknown>;
  /** Handlers currently running (any trigger). */
  running(): number;
  /** Resolves when no handler is running. */
  idle(): Promise<void>;
}

export function entryUrl(entry: string, root = PROJECT_ROOT): string {
  return pathToFileURL(isAbsolute(entry) ? entry : resolve(root, entry)).href;
}

const modules = new Map<string, Promise<LambdaHandler>>();
/** `root` + `entry` → its URL, resolved once (every invocation asks). */
const urls = new Map<string, string>();

/** Imports `entry` once and returns its exported `handler`. */
export function loadHandler(entry: string, root = PROJECT_ROOT): Promise<LambdaHandler> {
  const id = `${root}\0${entry}`;
  let url = urls.get(id);
  if (url === undefined) {
    url = entryUrl(entry, root);
    urls.set(id, url);
  }
  let loading = modules.get(url);
  if (loading === undefined) {
    loading = import(url).then((mod: Record<string, unknown>) => {
      const handler = mod.handler;
      if (typeof handler !== 'function') {
        throw new LocalSystemError(`${entry} does not export a function named handler`);
      }
      return handler as LambdaHandler;
    });
    // A failed import is retried on the next invocation (the file may be fixed meanwhile).
    loading.catch(() => modules.delete(url));
    modules.set(url, loading);
  }
  return loading;
}

export function functionTimeoutSeconds(fn: FunctionSpec): number {
  return fn.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
}

export function createContext(
  fn: FunctionSpec,
  region: string,
  deadline: number,
  awsRequestId: string = randomUUID(),
): Context {
  const functionName = `urna-${fn.name}`;
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  const notSupported = (): void => {
    throw new Error('context.done/fail/succeed are not supported: return or throw from an async handler');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:${LOCAL_ACCOUNT_ID}:function:${functionName}`,
    memoryLimitInMB: String(fn.memorySize ?? DEFAULT_MEMORY_MB),
    awsRequestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `${day}/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: notSupported,
    fail: notSupported,
    succeed: notSupported,
  };
}

export function createRunner(options: { region: string; root?: string }): FunctionRunner {
  const root = options.root ?? PROJECT_ROOT;
  let running = 0;
  let waiters: (() => void)[] = [];

  const settle = (): void => {
    running -= 1;
    if (running === 0) {
      const toWake = waiters;
      waiters = [];
      for (const wake of toWake) wake();
    }
  };

  return {
    async invoke(fn, event, invokeOptions = {}) {
      running += 1;
      try {
        const handler = await loadHandler(fn.entry, root);
        const seconds = Math.min(
          functionTimeoutSeconds(fn),
          invokeOptions.maxSeconds ?? Number.POSITIVE_INFINITY,
        );
        const deadline = Date.now() + seconds * 1000;
        const context = createContext(fn, options.region, deadline, invokeOptions.requestId);
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new LambdaTimeoutError(`${fn.name} timed out after ${seconds} seconds`)),
            seconds * 1000,
          );
        });
        try {
          // The function's table access, checked on each call it makes (IAM's, on AWS).
          const run = () =>
            invoked.run(fn.name, () => withTableAccess(tableAccessOf(fn), () => handler(event, context)));
          const started = performance.now();
          try {
            return await Promise.race([Promise.resolve().then(run), timeout]);
          } finally {
            observer?.(fn, event, performance.now() - started);
          }
        } finally {
          clearTimeout(timer);
        }
      } finally {
        settle();
      }
    },
    running: () => running,
    idle: () => (running === 0 ? Promise.resolve() : new Promise<void>((wake) => waiters.push(wake))),
  };
}

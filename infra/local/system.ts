/**
 * The whole system on one machine: DynamoDB Local + fauxqs, the catalog's table and queues, the
 * environment the handlers read, the HTTP server, the SQS pollers, the table's pipes and the
 * scheduler, all running the real handlers in this process. `npm start` (start.ts),
 * `npm run invoke -- --standalone` (invoke.ts) and the integration tests
 * (test/support/localEnv.ts) all go through here.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  AUTH_ENV,
  CITIZEN_AUTH_ENV,
  COMMON_ENV,
  FUNCTIONS,
  type FunctionSpec,
  PIPES,
  QUEUES,
  type QueueName,
} from '../catalog.ts';
import { blobRoutes, localBlobs } from './blobs.ts';
import {
  createDevIssuer,
  DEV_CITIZEN_AUDIENCE,
  type DevIssuer,
  devIssuerRoutes,
  devIssuerUrl,
} from './devIssuer.ts';
import { LOCAL_CREDENTIALS } from './dynamodb.ts';
import { type EmulatorEndpoints, type Emulators, startEmulators } from './emulators.ts';
import { consoleLog, type LocalLog, LocalSystemError } from './errors.ts';
import { type LocalHttpServer, startHttpServer } from './http.ts';
import { keysEnv, type LocalKeys, localKeys } from './keys.ts';
import { createRunner } from './lambda.ts';
import { lockDataDir } from './lifetime.ts';
import { outboxFolder, outboxRoutes } from './outbox.ts';
import { type LocalPipe, startTablePipe } from './pipe.ts';
import { type QueuePoller, startQueuePoller } from './poller.ts';
import { type CreatedResources, createResources, deleteResources, resourceNames } from './resources.ts';
import { type LocalScheduler, startScheduler } from './scheduler.ts';

export const LOCAL_REGION = 'us-east-1';
export const DEFAULT_PORT = 3000;

/** Long-poll loops per queue-triggered function, each handling one batch at a time. */
export const DEFAULT_POLLER_CONCURRENCY = 5;

export interface LocalSystemOptions {
  /** HTTP port on 127.0.0.1 (default 3000; 0 picks a free one). */
  port?: number;
  /**
   * Keep here between runs (default: all in memory): DynamoDB's data, the queues' messages, each
   * pipe's stream position and the receipt signing key.
   */
  dataDir?: string;
  /** The functions to run (default: the catalog's FUNCTIONS; tests pass fixtures). */
  functions?: readonly FunctionSpec[];
  /** Fire schedule-triggered functions on their rates (default true; fire() works regardless). */
  schedulers?: boolean;
  /** Poll the queues and invoke their consumers (default true). */
  pollers?: boolean;
  /**
   * Run the catalog's PIPES: table stream → function (default: as `pollers`). A pipe to a function
   * that is not among `functions` does not run.
   */
  pipes?: boolean;
  /** First retry delay of a record or batch a pipe's target refused, doubling per retry (default 100 ms). */
  pipeRetryDelayMs?: number;
  /** Suffix for the table and queue names, so several systems can share the emulators. */
  namespace?: string;
  /** Use emulators that are already running instead of starting DynamoDB Local and fauxqs. */
  emulators?: EmulatorEndpoints;
  /** Seconds before a failed SQS record is retried (AWS: the queue's visibility timeout; default 2). */
  retryDelaySeconds?: number;
  /** Batches processed at once per queue consumer (default 5, as Lambda's first pollers). */
  pollerConcurrency?: number;
  /** LOG_LEVEL for the handlers' logger (default INFO). */
  logLevel?: string;
  /**
   * Keep the dev issuer's key pair here (npm start: `.local/`, where `npm run -s token` reads it);
   * default: a fresh key in memory.
   */
  devIssuerKeyDir?: string;
  /**
   * Where the Notify function writes notices (NOTIFIER=outbox; served at `GET /local/outbox`).
   * Default: `<dataDir>/outbox` when data is kept, else a fresh temporary folder.
   */
  outboxDir?: string;
  /** Ed25519 private JWK (JSON) for RECEIPT_SIGNING_KEY (default: kept in dataDir, else generated; keys.ts). */
  receiptSigningKey?: string;
  /** Pseudonym keys for PSEUDONYM_KEYS, comma-separated, version 1 first (default: as the receipt key). */
  pseudonymKeys?: string;
  /** Where the runtime's own lines go (default stderr). */
  log?: LocalLog;
  /** Called once if a child process dies while the system runs (npm start exits on it). */
  onFatal?: (error: LocalSystemError) => void;
  /** Delete the table and queues on stop (default false). */
  deleteResourcesOnStop?: boolean;
  /** More variables for the handlers (they win over the defaults). */
  env?: Readonly<Record<string, string>>;
}

export interface LocalSystem {
  /** `http://127.0.0.1:<port>` */
  readonly baseUrl: string;
  /** The officers' token issuer (AUTH_ISSUER = `<baseUrl>/local/issuer`): `issuer.issue({ entity, roles, offices })`. */
  readonly issuer: DevIssuer;
  /** The local outbox folder (notices as JSON lines; `GET /local/outbox` reads it). */
  readonly outboxDir: string;
  readonly port: number;
  /** The variables set in process.env for the handlers. */
  readonly env: Readonly<Record<string, string>>;
  readonly tableName: string;
  readonly queueUrls: Readonly<Record<QueueName, string>>;
  readonly dlqUrls: Readonly<Record<QueueName, string>>;
  /** Pipe name → its dead-letter queue (made whether or not the pipes run). */
  readonly pipeDlqUrls: Readonly<Record<string, string>>;
  /** The table's stream, the pipes' source. */
  readonly streamArn: string;
  /** The pipes running (empty with `pipes: false`; a pipe to a function not run is left out). */
  readonly pipes: readonly LocalPipe[];
  readonly endpoints: EmulatorEndpoints;
  /** `METHOD /path` → function name, as served. */
  readonly routes: readonly { method: string; path: string; functionName: string }[];
  readonly ddb: DynamoDBDocumentClient;
  readonly sqs: SQSClient;
  /**
   * Resolves when every pipe has read the table's stream to its end (every shard answered a
   * GetRecords started after the check with nothing new) and delivered what it read, every polled
   * queue is empty (no visible, in-flight or delayed message) and no handler or HTTP request is
   * running, twice in a row with no pipe reading anything in between; rejects after `timeoutMs`
   * (default 30 s) saying what is left.
   */
  drain(options?: { timeoutMs?: number }): Promise<void>;
  /** Runs a schedule-triggered function now; resolves with its result. */
  fire(functionName: string): Promise<unknown>;
  /** Runs any function's handler on an event, in this process, with a fresh Context. */
  invoke(functionName: string, event: unknown): Promise<unknown>;
  /** Stops everything this system started and restores process.env. Idempotent. */
  stop(): Promise<void>;
}

const SCRUBBED_ENV = ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS'] as const;

/** The environment the handlers get locally (same names as on AWS, from the catalog). */
export function localEnv(input: {
  endpoints: EmulatorEndpoints;
  resources: CreatedResources;
  /** The file keys (keys.ts). */
  keys: LocalKeys;
  logLevel: string;
  /** The local outbox folder (NOTIFIER=outbox). */
  outboxDir?: string;
  issuer: DevIssuer;
  /** The local API (`http://127.0.0.1:<port>`): SMS notices link to its tracking view. */
  baseUrl?: string;
  /** The documents' local store: the handlers build theirs on the same folder and key. */
  blobs?: { dir: string; signingKey: string };
}): Record<string, string> {
  const env: Record<string, string> = {
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: input.endpoints.dynamodb,
    AWS_ENDPOINT_URL_SQS: input.endpoints.sqs,
    [COMMON_ENV.tableName]: input.resources.tableName,
    [COMMON_ENV.serviceName]: 'urna',
    ...keysEnv(input.keys),
    POWERTOOLS_DEV: 'true',
    LOG_LEVEL: input.logLevel,
    // Officer tokens come from the dev issuer this runtime serves (shared/http/auth.ts verifies them).
    [AUTH_ENV.issuer]: input.issuer.issuer,
    [AUTH_ENV.clientId]: input.issuer.clientId,
    // Notices go to a local folder (shared/adapters/notifier/outbox.ts), staff recipients symbolic.
    NOTIFIER: 'outbox',
    // The config's shortest lease: a notice claimed by a run that died (kill -9) is taken over by
    // its redelivery after a restart (sqs.ts CRASH_VISIBILITY_SECONDS), not 90 s later.
    NOTICE_CLAIM_LEASE_SECONDS: '30',
    ...(input.outboxDir ? { OUTBOX_DIR: input.outboxDir } : {}),
    ...(input.baseUrl ? { TRACKING_URL: `${input.baseUrl}/v1/cases/{radicado}` } : {}),
    ...(input.blobs && input.baseUrl
      ? {
          LOCAL_BLOBS_DIR: input.blobs.dir,
          LOCAL_BLOBS_KEY: input.blobs.signingKey,
          LOCAL_BLOBS_BASE_URL: input.baseUrl,
        }
      : {}),
    // Citizens' ID tokens come from the same dev issuer, for another audience (citizenAuth.ts).
    [CITIZEN_AUTH_ENV.issuer]: input.issuer.issuer,
    [CITIZEN_AUTH_ENV.audience]: DEV_CITIZEN_AUDIENCE,
  };
  for (const queue of QUEUES) {
    env[queue.urlEnv] = input.resources.queueUrls[queue.name];
    env[queue.dlqUrlEnv] = input.resources.dlqUrls[queue.name];
  }
  return env;
}

function applyEnv(env: Record<string, string>): () => void {
  const touched = [...Object.keys(env), ...SCRUBBED_ENV];
  const previous = new Map(touched.map((k) => [k, process.env[k]]));
  for (const key of SCRUBBED_ENV) delete process.env[key];
  Object.assign(process.env, env);
  return () => {
    for (const [key, value] of previous) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}

const sleep = (ms: number): Promise<void> => new Promise((wake) => setTimeout(wake, ms));

export async function startLocalSystem(options: LocalSystemOptions = {}): Promise<LocalSystem> {
  const log = options.log ?? consoleLog;
  const functions = options.functions ?? FUNCTIONS;
  const cleanups: (() => Promise<void> | void)[] = [];
  const cleanup = async (): Promise<void> => {
    for (const step of cleanups.splice(0).reverse()) {
      try {
        await step();
      } catch (error) {
        log(`while stopping: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };

  try {
    const runner = createRunner({ region: LOCAL_REGION });

    // Bind the port first: a busy port fails in milliseconds, before Java starts.
    let issuerRoutes: ReturnType<typeof devIssuerRoutes> | undefined;
    const outbox = outboxFolder(options.outboxDir, options.dataDir);
    if (outbox.temporary && options.deleteResourcesOnStop) {
      cleanups.push(() => rmSync(outbox.dir, { recursive: true, force: true }));
    }
    const outboxRoute = outboxRoutes(outbox.dir);
    let blobRoute: ReturnType<typeof blobRoutes> | undefined;
    const http: LocalHttpServer = await startHttpServer({
      port: options.port ?? DEFAULT_PORT,
      functions,
      runner,
      log,
      localRoutes: async (request) =>
        issuerRoutes?.(request.method, request.rawPath) ??
        outboxRoute(request.method, request.rawPath) ??
        (await blobRoute?.(request)),
    });
    cleanups.push(() => http.stop());
    // Documents: the folder the handlers and the blob routes share (its links name the port).
    const blobs = localBlobs({
      baseUrl: http.baseUrl,
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    });
    if (blobs.temporary) cleanups.push(() => rmSync(blobs.dir, { recursive: true, force: true }));
    blobRoute = blobRoutes(blobs.store);
    // The issuer URL holds the port, known only now.
    const issuer = createDevIssuer({
      issuer: devIssuerUrl(http.baseUrl),
      ...(options.devIssuerKeyDir ? { keyDir: options.devIssuerKeyDir } : {}),
    });
    issuerRoutes = devIssuerRoutes(issuer);

    let endpoints: EmulatorEndpoints;
    let emulators: Emulators | undefined;
    if (options.emulators) {
      endpoints = options.emulators;
    } else {
      // One Urna per data directory (its lock, released last); none left on it by a crash.
      const lock = options.dataDir ? await lockDataDir(options.dataDir, log) : undefined;
      if (lock) cleanups.push(() => lock.release());
      emulators = await startEmulators(options.dataDir ? { dataDir: options.dataDir } : {});
      const started = emulators;
      lock?.dynamodb(started.dynamodbPid);
      cleanups.push(() => started.stop());
      if (!started.loopbackOnly) {
        log(
          'DynamoDB Local listens on every interface: this Java has no compiler (a JRE) to bind it to 127.0.0.1; install a JDK 17+ (Debian: openjdk-17-jdk-headless) to keep the data on this machine',
        );
      }
      endpoints = started.endpoints;
    }

    const client = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
    const rawDdb = new DynamoDBClient({ ...client, endpoint: endpoints.dynamodb });
    const ddb = DynamoDBDocumentClient.from(rawDdb, { marshallOptions: { removeUndefinedValues: true } });
    const sqs = new SQSClient({ ...client, endpoint: endpoints.sqs });
    // DynamoDB Local serves its streams on its own endpoint (AWS has a separate one).
    const streams = new DynamoDBStreamsClient({ ...client, endpoint: endpoints.dynamodb });
    cleanups.push(() => {
      ddb.destroy();
      rawDdb.destroy();
      sqs.destroy();
      streams.destroy();
    });

    const resources = await createResources({ ddb: rawDdb, sqs }, resourceNames(options.namespace));
    if (options.deleteResourcesOnStop) cleanups.push(() => deleteResources({ ddb: rawDdb, sqs }, resources));

    const env = localEnv({
      endpoints,
      resources,
      keys: localKeys(options.dataDir, options),
      logLevel: options.logLevel ?? 'INFO',
      issuer,
      outboxDir: outbox.dir,
      baseUrl: http.baseUrl,
      blobs,
    });
    Object.assign(env, options.env);
    cleanups.push(applyEnv(env));

    const pollers: QueuePoller[] = [];
    if (options.pollers !== false) {
      for (const fn of functions) {
        if (fn.trigger.type !== 'queue') continue;
        const poller = startQueuePoller({
          fn,
          trigger: fn.trigger,
          queueUrl: resources.queueUrls[fn.trigger.queue],
          queueArn: resources.queueArns[fn.trigger.queue],
          sqs,
          region: LOCAL_REGION,
          runner,
          log,
          retryDelaySeconds: options.retryDelaySeconds ?? 2,
          concurrency: options.pollerConcurrency ?? DEFAULT_POLLER_CONCURRENCY,
        });
        pollers.push(poller);
      }
      cleanups.push(() => Promise.all(pollers.map((p) => p.stop())).then(() => undefined));
    }

    const pipes: LocalPipe[] = [];
    if (options.pipes ?? options.pollers !== false) {
      for (const spec of PIPES) {
        const dlqUrl = resources.pipeDlqUrls[spec.name];
        if (dlqUrl === undefined) throw new LocalSystemError(`pipe ${spec.name}: no dead-letter queue`);
        // The real handler, through the runner (its timeout, a fresh Context, counted in drain()).
        // A function this system does not run (tests pass fixtures) has no pipe either.
        const fn = functions.find((f) => f.name === spec.target.function);
        if (fn === undefined) continue;
        pipes.push(
          startTablePipe({
            spec,
            streams,
            sqs,
            streamArn: resources.streamArn,
            startingPosition: resources.streamCreated ? 'TRIM_HORIZON' : spec.startingPosition,
            target: { functionName: fn.name, invoke: (batch) => runner.invoke(fn, batch) },
            dlqUrl,
            region: LOCAL_REGION,
            log,
            ...(options.pipeRetryDelayMs === undefined ? {} : { retryDelayMs: options.pipeRetryDelayMs }),
            // With DATA_DIR, a restart resumes the stream where this run left it (issue 16).
            ...(options.dataDir
              ? { checkpointFile: join(options.dataDir, 'pipes', `${spec.name}.json`) }
              : {}),
          }),
        );
      }
      cleanups.push(() => Promise.all(pipes.map((p) => p.stop())).then(() => undefined));
    }

    const scheduler: LocalScheduler = startScheduler({
      functions,
      runner,
      region: LOCAL_REGION,
      log,
      timers: options.schedulers !== false,
    });
    cleanups.push(() => scheduler.stop());

    http.open();

    let stopped = false;
    if (emulators) {
      void emulators.died.then((error) => {
        if (stopped) return;
        if (options.onFatal) options.onFatal(error);
        else log(error.message);
      });
    }

    const polledQueues = [...new Set(pollers.map((p) => p.queueUrl))];
    /**
     * What the pipes still have to do: read their stream to its end and deliver it. Checked before
     * the queues, so what a pipe delivered is counted there; and `marks` (records read per pipe at
     * the previous check) makes a round in which a pipe read anything a busy one.
     */
    const pipesPending = async (marks: Map<string, number>): Promise<string[]> => {
      const left: string[] = [];
      const caughtUp = await Promise.all(pipes.map((p) => p.catchUp(1000)));
      pipes.forEach((pipe, i) => {
        if (caughtUp[i] !== true) {
          left.push(
            `pipe ${pipe.name}: not caught up with the stream (${pipe.busy()} record(s) being delivered)`,
          );
        }
        const read = pipe.consumed() - (marks.get(pipe.name) ?? 0);
        if (read > 0) left.push(`pipe ${pipe.name}: read ${read} stream record(s)`);
        marks.set(pipe.name, pipe.consumed());
      });
      return left;
    };
    const pending = async (): Promise<string[]> => {
      const left: string[] = [];
      const handlers = runner.running();
      if (handlers > 0) left.push(`${handlers} handler(s) running`);
      if (http.inFlight() > 0) left.push(`${http.inFlight()} HTTP request(s) in flight`);
      for (const poller of pollers) {
        if (poller.busy() > 0) left.push(`${poller.functionName} settling ${poller.busy()} batch(es)`);
      }
      const counts = await Promise.all(
        polledQueues.map(async (url) => {
          const { Attributes = {} } = await sqs.send(
            new GetQueueAttributesCommand({
              QueueUrl: url,
              AttributeNames: [
                'ApproximateNumberOfMessages',
                'ApproximateNumberOfMessagesNotVisible',
                'ApproximateNumberOfMessagesDelayed',
              ],
            }),
          );
          const n = (k: string): number => Number(Attributes[k as keyof typeof Attributes] ?? 0);
          return {
            url,
            visible: n('ApproximateNumberOfMessages'),
            inFlight: n('ApproximateNumberOfMessagesNotVisible'),
            delayed: n('ApproximateNumberOfMessagesDelayed'),
          };
        }),
      );
      for (const c of counts) {
        if (c.visible + c.inFlight + c.delayed > 0) {
          const name = c.url.split('/').at(-1);
          left.push(`${name}: ${c.visible} visible, ${c.inFlight} in flight, ${c.delayed} delayed`);
        }
      }
      return left;
    };

    const system: LocalSystem = {
      baseUrl: http.baseUrl,
      issuer,
      outboxDir: outbox.dir,
      port: http.port,
      env,
      tableName: resources.tableName,
      queueUrls: resources.queueUrls,
      dlqUrls: resources.dlqUrls,
      pipeDlqUrls: resources.pipeDlqUrls,
      streamArn: resources.streamArn,
      pipes,
      endpoints,
      routes: http.routes.map((r) => ({ method: r.method, path: r.path, functionName: r.fn.name })),
      ddb,
      sqs,
      drain: async ({ timeoutMs = 30_000 } = {}) => {
        const deadline = Date.now() + timeoutMs;
        const marks = new Map(pipes.map((p) => [p.name, p.consumed()]));
        let quiet = 0;
        while (true) {
          const left = [...(await pipesPending(marks)), ...(await pending())];
          quiet = left.length === 0 ? quiet + 1 : 0;
          if (quiet >= 2) return;
          if (Date.now() > deadline) {
            throw new Error(`drain: still busy after ${timeoutMs} ms: ${left.join('; ')}`);
          }
          await sleep(20);
        }
      },
      fire: (functionName) => scheduler.fire(functionName),
      invoke: (functionName, event) => {
        const fn = functions.find((f) => f.name === functionName);
        if (!fn) {
          const known = functions.map((f) => f.name).join(', ');
          return Promise.reject(new LocalSystemError(`no function named ${functionName} (known: ${known})`));
        }
        return runner.invoke(fn, event);
      },
      stop: async () => {
        stopped = true;
        await cleanup();
      },
    };
    return system;
  } catch (error) {
    await cleanup();
    throw error;
  }
}

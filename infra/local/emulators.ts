/**
 * DynamoDB Local and fauxqs together, started in parallel. The test harness starts them once per
 * run (test/support/globalSetup.ts) and every test file gets its own table and queues on them.
 */
import { type DynamoDbLocal, startDynamoDbLocal } from './dynamodb.ts';
import { LocalSystemError } from './errors.ts';
import { type LocalSqs, startLocalSqs } from './sqs.ts';

export interface EmulatorEndpoints {
  dynamodb: string;
  sqs: string;
}

export interface Emulators {
  readonly endpoints: EmulatorEndpoints;
  /** Whether every emulator listens on 127.0.0.1 only (DynamoDB Local cannot on a bare JRE). */
  readonly loopbackOnly: boolean;
  /** DynamoDB Local's process (recorded in DATA_DIR's lock). */
  readonly dynamodbPid: number | undefined;
  /** Resolves with an explanation if DynamoDB Local dies while it should be running. */
  readonly died: Promise<LocalSystemError>;
  stop(): Promise<void>;
}

export async function startEmulators(
  options: { dataDir?: string; region?: string } = {},
): Promise<Emulators> {
  const ddbOptions = options.dataDir ? { dataDir: options.dataDir } : {};
  const sqsOptions = {
    ...(options.region ? { region: options.region } : {}),
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
  };
  const [ddb, sqs] = await Promise.allSettled([startDynamoDbLocal(ddbOptions), startLocalSqs(sqsOptions)]);
  if (ddb.status === 'rejected' || sqs.status === 'rejected') {
    await Promise.allSettled([
      ddb.status === 'fulfilled' ? ddb.value.stop() : undefined,
      sqs.status === 'fulfilled' ? sqs.value.stop() : undefined,
    ]);
    throw ddb.status === 'rejected' ? ddb.reason : (sqs as PromiseRejectedResult).reason;
  }
  const dynamo: DynamoDbLocal = ddb.value;
  const queue: LocalSqs = sqs.value;
  let stopping = false;
  const died = dynamo.exited.then((status) => {
    const how = status.signal ? `signal ${status.signal}` : `code ${status.code}`;
    return new LocalSystemError(
      stopping
        ? 'DynamoDB Local was stopped'
        : `DynamoDB Local exited unexpectedly (${how})${status.lastOutput ? `: ${status.lastOutput}` : ''}`,
    );
  });
  return {
    endpoints: { dynamodb: dynamo.endpoint, sqs: queue.endpoint },
    loopbackOnly: dynamo.loopbackOnly,
    dynamodbPid: dynamo.pid,
    died,
    stop: async () => {
      stopping = true;
      await Promise.allSettled([dynamo.stop(), queue.stop()]);
    },
  };
}

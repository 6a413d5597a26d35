/**
 * The table's stream on AWS: it feeds an EventBridge pipe per catalog PIPES entry, whose filter,
 * retries and DLQ come from the catalog, whose DLQ is alarmed, and whose role can do nothing but
 * read that stream and deliver: a queue pipe (the transactional outbox) sends each record as the
 * catalog's message to its queue; a function pipe invokes its function synchronously with the batch.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Stage } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  catalogProblems,
  FUNCTIONS,
  type FunctionSpec,
  PIPES,
  type PipeSpec,
  patternsOf,
  TABLE,
} from '../../infra/catalog.ts';
import { LAMBDA_PAYLOAD_LIMIT_BYTES, payloadBatches } from '../../infra/local/pipe.ts';
import { type Json, matchesPattern } from '../../shared/queue/eventPattern.ts';
import { OUTBOX_ROUTES } from '../../shared/queue/outbox.ts';
import {
  logicalId,
  NAG_PACKS,
  nagFindings,
  prop,
  resource,
  type Synthesized,
  statementsOfRole,
  synth,
} from './support.ts';

let dev: Synthesized;

beforeAll(() => {
  dev = synth('dev', { cloudFormationValidation: true });
});

function ids(name: string) {
  const pipe = dev.stack.pipes.get(name);
  if (pipe === undefined) throw new Error(`no pipe ${name}`);
  const spec = PIPES.find((p) => p.name === name);
  if (spec === undefined) throw new Error(`no catalog pipe ${name}`);
  const fn = dev.stack.functions.get(spec.target.function);
  if (fn === undefined) throw new Error(`no function ${spec.target.function}`);
  return {
    construct: pipe,
    pipe: dev.stack.getLogicalId(pipe.pipe),
    role: logicalId(dev.stack, pipe.role),
    dlq: logicalId(dev.stack, pipe.dlq),
    dlqAlarm: logicalId(dev.stack, pipe.dlqAlarm),
    failureAlarm: logicalId(dev.stack, pipe.failureAlarm),
    table: logicalId(dev.stack, dev.stack.table),
    /** The target function. */
    target: logicalId(dev.stack, fn.function),
    topic: logicalId(dev.stack, dev.stack.alarmTopic),
    dataKey: logicalId(dev.stack, dev.stack.dataKey),
  };
}

/** A DynamoDB stream record as a pipe sees it (Lambda's shape). */
function streamEvent(eventName: string, image: Record<string, string>): Json {
  return {
    eventID: '1',
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    dynamodb: {
      ApproximateCreationDateTime: 1_750_000_000,
      Keys: { pk: { S: image.pk ?? '' }, sk: { S: image.sk ?? '' } },
      NewImage: Object.fromEntries(Object.entries(image).map(([k, v]) => [k, { S: v }])),
      SequenceNumber: '100',
      SizeBytes: 64,
      StreamViewType: 'NEW_IMAGE',
    },
    eventSourceARN: 'arn:aws:dynamodb:us-east-1:123456789012:table/urna/stream/2025-01-01T00:00:00.000',
  };
}

describe('the table stream', () => {
  it('is on with the catalog view type (NEW_IMAGE)', () => {
    const table = resource(dev.resources, logicalId(dev.stack, dev.stack.table));
    expect(TABLE.stream).toBe('NEW_IMAGE');
    expect(prop(table, 'StreamSpecification')).toEqual({ StreamViewType: TABLE.stream });
  });

  it('has exactly the catalog pipes: two, each to a function', () => {
    dev.template.resourceCountIs('AWS::Pipes::Pipe', PIPES.length);
    expect([...dev.stack.pipes.keys()].sort()).toEqual(PIPES.map((p) => p.name).sort());
    expect(PIPES.map((p) => [p.name, p.target.function])).toEqual([
      ['Outbox', 'Relay'],
      ['Counting', 'Count'],
    ]);
  });

  it.each(['dev', 'prod'] as const)(
    'has at most two readers in %s (DynamoDB advises two per shard)',
    (stage) => {
      const synthesized = stage === 'dev' ? dev : synth('prod');
      const streamArn = {
        'Fn::GetAtt': [logicalId(synthesized.stack, synthesized.stack.table), 'StreamArn'],
      };
      const reads = (r: { Type: string; Properties?: Record<string, unknown> }) =>
        (r.Type === 'AWS::Pipes::Pipe' &&
          JSON.stringify(r.Properties?.Source) === JSON.stringify(streamArn)) ||
        (r.Type === 'AWS::Lambda::EventSourceMapping' &&
          JSON.stringify(r.Properties?.EventSourceArn) === JSON.stringify(streamArn));
      const readers = Object.values(synthesized.resources).filter(reads);
      expect(readers.length).toBeGreaterThan(0);
      expect(readers.length).toBeLessThanOrEqual(2);
    },
  );
});

describe('the catalog', () => {
  const pipeFn: FunctionSpec = { name: 'Counter', entry: 'functions/stream/x.ts', trigger: { type: 'pipe' } };
  const toFn = (name: string, fn: string): PipeSpec => ({
    name,
    source: 'tableStream',
    startingPosition: 'TRIM_HORIZON',
    filter: { eventName: ['INSERT'] },
    target: { function: fn },
    batchSize: 100,
    maximumBatchingWindowSeconds: 1,
    maximumRetryAttempts: 3,
    deadLetterQueue: `${name}-dlq`,
  });

  it('names, from every function pipe, a function invoked by that pipe alone', () => {
    expect(catalogProblems()).toEqual([]);
    expect(catalogProblems(PIPES, FUNCTIONS)).toEqual([]);
    const count = FUNCTIONS.find((f) => f.name === 'Count');
    expect(count?.trigger).toEqual({ type: 'pipe' });
  });

  it('refuses a function pipe to no function, or to a function with another trigger', () => {
    expect(catalogProblems([toFn('A', 'Nobody')], [pipeFn])).toEqual([
      'pipe A targets Nobody, no catalog function',
      'function Counter (trigger pipe) is the target of 0 pipes, not 1',
    ]);
    const route = FUNCTIONS.find((f) => f.trigger.type === 'queue');
    if (route === undefined) throw new Error('no queue function');
    expect(catalogProblems([toFn('A', route.name)], [route])).toEqual([
      `pipe A targets ${route.name}, whose trigger is queue, not pipe`,
    ]);
  });

  it('refuses a pipe function that two pipes invoke, and a pipe name used twice', () => {
    expect(catalogProblems([toFn('A', 'Counter'), toFn('B', 'Counter')], [pipeFn])).toEqual([
      'function Counter (trigger pipe) is the target of 2 pipes, not 1',
    ]);
    expect(catalogProblems([toFn('A', 'Counter'), toFn('A', 'Counter')], [pipeFn])).toEqual([
      'pipe A is declared twice',
      'function Counter (trigger pipe) is the target of 2 pipes, not 1',
    ]);
  });

  it('refuses a third reader of the table stream (DynamoDB advises two per shard)', () => {
    const fns = ['A', 'B', 'C'].map((n) => ({ ...pipeFn, name: `${n}Fn` }));
    expect(catalogProblems([toFn('A', 'AFn'), toFn('B', 'BFn')], fns.slice(0, 2))).toEqual([]);
    expect(catalogProblems([toFn('A', 'AFn'), toFn('B', 'BFn'), toFn('C', 'CFn')], fns)).toEqual([
      "3 pipes read the table's stream, not at most 2",
    ]);
  });
});

describe.each(PIPES.map((p) => [p.name, p] as const))('pipe %s', (name, spec) => {
  it('reads the table stream and delivers to its target, named for the stage', () => {
    const id = ids(name);
    const pipe = resource(dev.resources, id.pipe);
    expect(pipe.Properties).toMatchObject({
      Name: `urna-dev-${name}`,
      DesiredState: 'RUNNING',
      RoleArn: { 'Fn::GetAtt': [id.role, 'Arn'] },
      Source: { 'Fn::GetAtt': [id.table, 'StreamArn'] },
      Target: { 'Fn::GetAtt': [id.target, 'Arn'] },
    });
  });

  it('takes batch size, batching window, retries and starting position from the catalog, bisecting failures', () => {
    const id = ids(name);
    const source = prop<{ DynamoDBStreamParameters: Record<string, unknown> }>(
      resource(dev.resources, id.pipe),
      'SourceParameters',
    );
    expect(source.DynamoDBStreamParameters).toEqual({
      StartingPosition: spec.startingPosition,
      BatchSize: spec.batchSize,
      MaximumBatchingWindowInSeconds: spec.maximumBatchingWindowSeconds,
      MaximumRetryAttempts: spec.maximumRetryAttempts,
      OnPartialBatchItemFailure: 'AUTOMATIC_BISECT',
      DeadLetterConfig: { Arn: { 'Fn::GetAtt': [id.dlq, 'Arn'] } },
    });
    // A function takes the whole batch, up to the stream source's 10,000 (within Lambda's 6 MB payload).
    expect(spec.batchSize).toBeLessThanOrEqual(10_000);
  });

  it('filters with the catalog patterns: Outbox passes case INSERTs and notified events, Counting comment INSERTs and case writes', () => {
    const source = prop<{ FilterCriteria: { Filters: { Pattern: string }[] } }>(
      resource(dev.resources, ids(name).pipe),
      'SourceParameters',
    );
    const patterns = source.FilterCriteria.Filters.map((f) => JSON.parse(f.Pattern));
    expect(patterns).toEqual(patternsOf(spec.filter));
    expect(patterns.length).toBeLessThanOrEqual(5);
    const passes = (eventName: string, item: Record<string, string>) =>
      patterns.some((p) => matchesPattern(p, streamEvent(eventName, item)));
    if (name === 'Counting') {
      const comment = { pk: 'COMMENTS#c1#3', sk: 'REF-1', type: 'comment' };
      expect(passes('INSERT', comment)).toBe(true);
      expect(passes('MODIFY', comment)).toBe(false);
      expect(passes('REMOVE', comment)).toBe(false);
      expect(passes('INSERT', { ...comment, type: 'consultation' })).toBe(false);
      expect(passes('INSERT', { pk: 'COMMENTS#c1#3', sk: 'REF-1' })).toBe(false);
      const item = { pk: 'CASE#MINTIC-2025-000001', sk: 'CASE', radicado: 'MINTIC-2025-000001' };
      expect(passes('INSERT', item)).toBe(true);
      expect(passes('MODIFY', item)).toBe(true);
      expect(passes('REMOVE', item)).toBe(false);
      // Its audit events, notice marks and counted record are not the case.
      for (const sk of ['EVENT#000001', 'NOTICE#EVENT#000001', 'COUNTED'])
        expect(passes('INSERT', { ...item, sk }), sk).toBe(false);
    }
    if (name !== 'Outbox') return;
    expect(patterns).toEqual(OUTBOX_ROUTES.map((r) => r.pattern));
    const item = { pk: 'CASE#MINTIC-2025-000001', sk: 'CASE', radicado: 'MINTIC-2025-000001' };
    expect(passes('INSERT', item)).toBe(true);
    expect(passes('MODIFY', item)).toBe(false);
    expect(passes('INSERT', { pk: 'COUNTER#MINTIC#2025', sk: 'COUNTER' })).toBe(false);
    const event = { pk: 'AUDIT#CASE#MINTIC-2025-000001', sk: 'EVENT#000002', radicado: 'MINTIC-2025-000001' };
    for (const type of ['filed', 'answered', 'replied', 'alert'])
      expect(passes('INSERT', { ...event, type }), type).toBe(true);
    for (const type of ['routed', 'assigned', 'closed'])
      expect(passes('INSERT', { ...event, type }), type).toBe(false);
    expect(passes('MODIFY', { ...event, type: 'answered' })).toBe(false);
  });

  it('has a role only pipes of this account can assume for this pipe', () => {
    const id = ids(name);
    const role = resource(dev.resources, id.role);
    const trust = prop<{ Statement: Record<string, unknown>[] }>(role, 'AssumeRolePolicyDocument').Statement;
    expect(trust).toHaveLength(1);
    expect(trust[0]).toMatchObject({
      Action: 'sts:AssumeRole',
      Effect: 'Allow',
      Principal: { Service: 'pipes.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
    });
    expect(JSON.stringify(trust[0])).toContain(`:pipe/urna-dev-${name}`);
    expect(prop(role, 'ManagedPolicyArns')).toBeUndefined();
  });

  it('grants least privilege: read this stream, deliver to the target, send to the DLQ, nothing else', () => {
    const id = ids(name);
    const role = resource(dev.resources, id.role);
    const policies = prop<{ PolicyDocument: { Statement: Record<string, unknown>[] } }[]>(role, 'Policies');
    const statements = policies.flatMap((p) => p.PolicyDocument.Statement);
    const read = {
      Sid: 'ReadTheTableStream',
      Effect: 'Allow',
      Action: [
        'dynamodb:DescribeStream',
        'dynamodb:GetRecords',
        'dynamodb:GetShardIterator',
        'dynamodb:ListStreams',
      ],
      Resource: { 'Fn::GetAtt': [id.table, 'StreamArn'] },
    };
    const dataKey = { 'Fn::GetAtt': [id.dataKey, 'Arn'] };
    // The stream is encrypted with the table's key; the queues (DLQ, target) with the same one.
    const decryptStream = {
      Sid: 'DecryptTheTableStream',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: dataKey,
    };
    const encryptForDlq = {
      Sid: 'EncryptForTheDlq',
      Effect: 'Allow',
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: dataKey,
    };
    // Invoke that one function (its unqualified ARN: $LATEST), and dead-letter: no queue.
    expect(statements).toEqual([
      read,
      decryptStream,
      {
        Sid: 'InvokeTheTarget',
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        Resource: { 'Fn::GetAtt': [id.target, 'Arn'] },
      },
      {
        Sid: 'SendToDlq',
        Effect: 'Allow',
        Action: 'sqs:SendMessage',
        Resource: { 'Fn::GetAtt': [id.dlq, 'Arn'] },
      },
      encryptForDlq,
    ]);
    // No wildcard, no table access, no separate policy attached to the role.
    expect(JSON.stringify(statements)).not.toContain('*');
    expect(statementsOfRole(dev.resources, id.role)).toEqual([]);
    expect(prop(resource(dev.resources, id.dlq), 'KmsMasterKeyId')).toEqual(dataKey);
  });

  it('dead-letters to a queue of its own, kept 14 days, SSL only, alarmed', () => {
    const id = ids(name);
    const dlq = resource(dev.resources, id.dlq);
    expect(prop(dlq, 'MessageRetentionPeriod')).toBe(14 * 24 * 3600);
    expect(prop(dlq, 'KmsMasterKeyId')).toEqual({ 'Fn::GetAtt': [id.dataKey, 'Arn'] });
    expect(prop(dlq, 'RedrivePolicy')).toBeUndefined();
    dev.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: id.dlq }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    expect(resource(dev.resources, id.dlqAlarm).Properties).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [id.dlq, 'QueueName'] } }],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [{ Ref: id.topic }],
      OKActions: [{ Ref: id.topic }],
    });
    dev.template.hasOutput(`${name}PipeDlqUrl`, { Value: { Ref: id.dlq } });
  });

  it("alarms on the pipe's failed executions", () => {
    const id = ids(name);
    expect(resource(dev.resources, id.failureAlarm).Properties).toMatchObject({
      Namespace: 'AWS/EventBridge/Pipes',
      MetricName: 'ExecutionFailed',
      Dimensions: [{ Name: 'PipeName', Value: `urna-dev-${name}` }],
      Statistic: 'Sum',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [{ Ref: id.topic }],
    });
  });

  it('says what function it delivers to in its description, its role and its DLQ alarm', () => {
    const id = ids(name);
    const target = `${spec.target.function} function`;
    expect(prop(resource(dev.resources, id.pipe), 'Description')).toContain(`table stream to the ${target}`);
    expect(prop(resource(dev.resources, id.role), 'Description')).toContain(`table stream to the ${target}`);
    expect(prop(resource(dev.resources, id.dlqAlarm), 'AlarmDescription')).toContain(
      `could not deliver to the ${target}`,
    );
  });

  it('is clean for all three cdk-nag packs, with only the reviewed suppressions on its DLQ and role', () => {
    const id = ids(name);
    expect(nagFindings(dev.stack, NAG_PACKS, (path) => path.includes(`/${name}Pipe/`))).toEqual([]);
    for (const logical of [id.pipe, id.dlqAlarm, id.failureAlarm]) {
      expect(resource(dev.resources, logical).Metadata?.cdk_nag).toBeUndefined();
    }
    const suppressed = (logical: string) =>
      (
        (resource(dev.resources, logical).Metadata?.cdk_nag ?? { rules_to_suppress: [] }) as {
          rules_to_suppress: { id: string; reason: string }[];
        }
      ).rules_to_suppress;
    // A DLQ needs no DLQ of its own; the role is the pipe's alone (inline policy).
    expect(suppressed(id.dlq).map((r) => r.id)).toEqual(['AwsSolutions-SQS3', 'Serverless-SQSRedrivePolicy']);
    expect(suppressed(id.role).map((r) => r.id)).toEqual(['NIST.800.53.R5-IAMNoInlinePolicy']);
    for (const r of [...suppressed(id.dlq), ...suppressed(id.role)])
      expect(r.reason.length).toBeGreaterThan(60);
  });
});

describe.each(PIPES.map((p) => [p.name, p] as const))('function pipe %s', (name, spec) => {
  const fnSpec = (): FunctionSpec => {
    const fn = FUNCTIONS.find((f) => f.name === spec.target.function);
    if (fn === undefined) throw new Error(`no catalog function ${spec.target.function}`);
    return fn;
  };

  it('invokes its function synchronously with the batch as is: no input template', () => {
    const id = ids(name);
    const pipe = resource(dev.resources, id.pipe);
    expect(prop(pipe, 'Target')).toEqual({ 'Fn::GetAtt': [id.target, 'Arn'] });
    expect(prop(pipe, 'TargetParameters')).toEqual({
      LambdaFunctionParameters: { InvocationType: 'REQUEST_RESPONSE' },
    });
    // The pipe refers to the function, so CloudFormation creates it after the function.
    expect(resource(dev.resources, id.target).Type).toBe('AWS::Lambda::Function');
  });

  it('is the only thing that invokes its function: no event source, rule, permission or other role', () => {
    const id = ids(name);
    expect(fnSpec().trigger).toEqual({ type: 'pipe' });
    const refersToFn = (value: unknown): boolean => JSON.stringify(value ?? {}).includes(`"${id.target}"`);
    const others = Object.entries(dev.resources).filter(
      ([logical, r]) =>
        ['AWS::Lambda::EventSourceMapping', 'AWS::Lambda::Permission', 'AWS::Events::Rule'].includes(
          r.Type,
        ) &&
        refersToFn(r.Properties) &&
        logical !== id.pipe,
    );
    expect(others).toEqual([]);
    const invokers = Object.entries(dev.resources).filter(
      ([, r]) =>
        (r.Type === 'AWS::IAM::Role' || r.Type === 'AWS::IAM::Policy') &&
        JSON.stringify(r.Properties ?? {}).includes('lambda:InvokeFunction') &&
        refersToFn(r.Properties),
    );
    expect(invokers.map(([logical]) => logical)).toEqual([id.role]);
  });

  it("gives its function the catalog's memory and timeout, or the pipe defaults (512 MB, 60 s)", () => {
    const id = ids(name);
    const fn = resource(dev.resources, id.target);
    expect(prop(fn, 'MemorySize')).toBe(fnSpec().memorySize ?? 512);
    expect(prop(fn, 'Timeout')).toBe(fnSpec().timeoutSeconds ?? 60);
    // Count writes counters; Relay only sends (no table, no TABLE_NAME).
    if (name === 'Counting') expect(fnSpec().table?.writes?.length).toBeGreaterThan(0);
    if (name === 'Outbox') {
      expect(fnSpec().table).toBeUndefined();
      expect(fnSpec().sendsTo).toEqual(['routing', 'notifications']);
    }
  });

  it('is batched locally as on AWS: batchSize records at most, within the 6 MB payload', () => {
    const small = Array.from({ length: 7 }, (_, i) => ({ n: i }));
    expect(payloadBatches(small, 3, LAMBDA_PAYLOAD_LIMIT_BYTES).map((b) => b.length)).toEqual([3, 3, 1]);
    // Each item is 100,010 bytes of JSON; an array of n of them is 100,011 n + 1 bytes.
    const big = Array.from({ length: 5 }, () => ({ t: 'x'.repeat(100_000) }));
    const sized = payloadBatches(big, spec.batchSize, 250_000);
    expect(sized.map((b) => b.length)).toEqual([2, 2, 1]);
    for (const b of sized) expect(Buffer.byteLength(JSON.stringify(b))).toBeLessThanOrEqual(250_000);
    expect(LAMBDA_PAYLOAD_LIMIT_BYTES).toBe(6 * 1024 * 1024);
  });

  it('reads the stream from where its work requires and retries a failing batch before dead-lettering it', () => {
    // Counting from its start (nothing else counts); the outbox from now (the sweep relays the rest).
    expect(spec).toMatchObject(
      name === 'Counting'
        ? {
            startingPosition: 'TRIM_HORIZON',
            batchSize: 500,
            maximumBatchingWindowSeconds: 1,
            maximumRetryAttempts: 10,
          }
        : {
            startingPosition: 'LATEST',
            batchSize: 100,
            maximumBatchingWindowSeconds: 0,
            maximumRetryAttempts: 5,
          },
    );
  });
});

describe('CloudFormation', () => {
  it("passes CDK's schema validation for the pipes, their roles, queues and alarms", () => {
    const outdir = (dev.stack.node.root as Stage).outdir;
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: {
        violations?: {
          ruleName: string;
          description: string;
          violatingConstructs: { constructPath: string }[];
        }[];
      }[];
    };
    const violations = report.pluginReports
      .flatMap((r) => r.violations ?? [])
      .filter((v) =>
        v.violatingConstructs.some((c) => PIPES.some((p) => c.constructPath.includes(`/${p.name}Pipe/`))),
      )
      .map((v) => `${v.ruleName}: ${v.description}`);
    expect(violations).toEqual([]);
  });
});

describe('prod', () => {
  it("keeps the pipe DLQ with the stack's data and names the pipe for the stage", () => {
    const prod = synth('prod');
    for (const spec of PIPES) {
      const pipe = prod.stack.pipes.get(spec.name);
      if (pipe === undefined) throw new Error(`no pipe ${spec.name}`);
      const dlq = resource(prod.resources, logicalId(prod.stack, pipe.dlq));
      expect(dlq.DeletionPolicy).toBe('Retain');
      expect(prop(resource(prod.resources, prod.stack.getLogicalId(pipe.pipe)), 'Name')).toBe(
        `urna-prod-${spec.name}`,
      );
    }
  });
});

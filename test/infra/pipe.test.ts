/**
 * The transactional outbox on AWS: the table's stream (NEW_IMAGE) feeds an EventBridge pipe per
 * catalog PIPES entry, whose filter, input template, retries and DLQ come from the catalog, whose
 * role can do nothing but read that stream and send to its two queues, and whose DLQ is alarmed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Stage } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { PIPES, TABLE } from '../../infra/catalog.ts';
import { inputTemplate } from '../../infra/constructs/TablePipe.ts';
import { type Json, matchesPattern, renderMessage, valueAt } from '../../infra/local/pipe.ts';
import { logicalId, prop, resource, type Synthesized, statementsOfRole, synth } from './support.ts';

let dev: Synthesized;

beforeAll(() => {
  dev = synth('dev', { cloudFormationValidation: true });
});

function ids(name: string) {
  const pipe = dev.stack.pipes.get(name);
  if (pipe === undefined) throw new Error(`no pipe ${name}`);
  const spec = PIPES.find((p) => p.name === name);
  if (spec === undefined) throw new Error(`no catalog pipe ${name}`);
  const target = dev.stack.queues.get(spec.target);
  if (target === undefined) throw new Error(`no queue ${spec.target}`);
  return {
    construct: pipe,
    pipe: dev.stack.getLogicalId(pipe.pipe),
    role: logicalId(dev.stack, pipe.role),
    dlq: logicalId(dev.stack, pipe.dlq),
    dlqAlarm: logicalId(dev.stack, pipe.dlqAlarm),
    failureAlarm: logicalId(dev.stack, pipe.failureAlarm),
    table: logicalId(dev.stack, dev.stack.table),
    target: logicalId(dev.stack, target.queue),
    targetDlq: logicalId(dev.stack, target.dlq),
    topic: logicalId(dev.stack, dev.stack.alarmTopic),
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

  it('has exactly the catalog pipes', () => {
    dev.template.resourceCountIs('AWS::Pipes::Pipe', PIPES.length);
    expect([...dev.stack.pipes.keys()].sort()).toEqual(PIPES.map((p) => p.name).sort());
  });
});

describe.each(PIPES.map((p) => [p.name, p] as const))('pipe %s', (name, spec) => {
  it('reads the table stream and sends to its target queue, named for the stage', () => {
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
    // An SQS target takes at most 10 records per call.
    expect(spec.batchSize).toBeLessThanOrEqual(10);
  });

  it('filters with the catalog pattern, which passes case INSERTs and nothing else', () => {
    const source = prop<{ FilterCriteria: { Filters: { Pattern: string }[] } }>(
      resource(dev.resources, ids(name).pipe),
      'SourceParameters',
    );
    expect(source.FilterCriteria.Filters).toHaveLength(1);
    const pattern = JSON.parse(source.FilterCriteria.Filters[0]?.Pattern ?? '{}');
    expect(pattern).toEqual(spec.filter);
    if (name !== 'CaseCreated') return;
    expect(pattern).toEqual({ eventName: ['INSERT'], dynamodb: { NewImage: { sk: { S: ['CASE'] } } } });
    const item = { pk: 'CASE#MINTIC-2025-000001', sk: 'CASE', radicado: 'MINTIC-2025-000001' };
    expect(matchesPattern(pattern, streamEvent('INSERT', item))).toBe(true);
    expect(matchesPattern(pattern, streamEvent('MODIFY', item))).toBe(false);
    expect(matchesPattern(pattern, streamEvent('INSERT', { ...item, sk: 'EVENT#000001' }))).toBe(false);
    expect(matchesPattern(pattern, streamEvent('INSERT', { pk: 'COUNTER#MINTIC#2025', sk: 'COUNTER' }))).toBe(
      false,
    );
  });

  it('maps the record with an input template that yields what the local pipe sends', () => {
    const template = prop<{ InputTemplate: string }>(
      resource(dev.resources, ids(name).pipe),
      'TargetParameters',
    ).InputTemplate;
    expect(template).toBe(inputTemplate(spec.message));
    if (name === 'CaseCreated') expect(template).toBe('{"radicado":"<$.dynamodb.NewImage.radicado.S>"}');
    // What Pipes does with it (quoted placeholders take the string at their path) and what the
    // local pipe renders from the catalog agree.
    const event = streamEvent('INSERT', {
      pk: 'CASE#DNP-2025-000007',
      sk: 'CASE',
      radicado: 'DNP-2025-000007',
    });
    const filled = template.replace(/<(\$[^>]+)>/g, (_, path: string) => String(valueAt(event, path)));
    expect(JSON.parse(filled)).toEqual(JSON.parse(renderMessage(spec.message, event).body));
    if (name === 'CaseCreated') expect(JSON.parse(filled)).toEqual({ radicado: 'DNP-2025-000007' });
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

  it('grants least privilege: read this stream, send to the target and the DLQ, nothing else', () => {
    const id = ids(name);
    const role = resource(dev.resources, id.role);
    const policies = prop<{ PolicyDocument: { Statement: Record<string, unknown>[] } }[]>(role, 'Policies');
    const statements = policies.flatMap((p) => p.PolicyDocument.Statement);
    expect(statements).toEqual([
      {
        Sid: 'ReadTheTableStream',
        Effect: 'Allow',
        Action: [
          'dynamodb:DescribeStream',
          'dynamodb:GetRecords',
          'dynamodb:GetShardIterator',
          'dynamodb:ListStreams',
        ],
        Resource: { 'Fn::GetAtt': [id.table, 'StreamArn'] },
      },
      {
        Sid: 'SendToTargetAndDlq',
        Effect: 'Allow',
        Action: 'sqs:SendMessage',
        Resource: [{ 'Fn::GetAtt': [id.target, 'Arn'] }, { 'Fn::GetAtt': [id.dlq, 'Arn'] }],
      },
    ]);
    // No wildcard, no table access, no separate policy attached to the role, and the queues are
    // SSE-SQS so no KMS grant is needed.
    expect(JSON.stringify(statements)).not.toContain('*');
    expect(statementsOfRole(dev.resources, id.role)).toEqual([]);
    for (const q of [id.target, id.dlq]) {
      expect(prop(resource(dev.resources, q), 'SqsManagedSseEnabled')).toBe(true);
    }
  });

  it('dead-letters to a queue of its own (not the target DLQ), kept 14 days, SSL only, alarmed', () => {
    const id = ids(name);
    expect(id.dlq).not.toBe(id.targetDlq);
    const dlq = resource(dev.resources, id.dlq);
    expect(prop(dlq, 'MessageRetentionPeriod')).toBe(14 * 24 * 3600);
    expect(prop(dlq, 'SqsManagedSseEnabled')).toBe(true);
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

  it('is clean for cdk-nag, with only the reviewed SQS3 suppression on its DLQ', () => {
    const id = ids(name);
    const annotations = Annotations.fromStack(dev.stack);
    const mine = (m: { id: string }) => m.id.includes(`/${name}Pipe/`);
    expect(annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-.*')).filter(mine)).toEqual([]);
    expect(annotations.findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*')).filter(mine)).toEqual([]);
    for (const logical of [id.pipe, id.role, id.dlqAlarm, id.failureAlarm]) {
      expect(resource(dev.resources, logical).Metadata?.cdk_nag).toBeUndefined();
    }
    const nag = resource(dev.resources, id.dlq).Metadata?.cdk_nag as {
      rules_to_suppress: { id: string; reason: string }[];
    };
    expect(nag.rules_to_suppress.map((r) => r.id)).toEqual(['AwsSolutions-SQS3']);
    expect(nag.rules_to_suppress[0]?.reason.length).toBeGreaterThan(60);
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

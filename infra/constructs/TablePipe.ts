import { Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import { type Alarm, type IAlarmAction, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { CfnPipe } from 'aws-cdk-lib/aws-pipes';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { type PipeSpec, patternsOf } from '../catalog.ts';
import { anyAboveZero, watchDlq } from './alarms.ts';

export interface TablePipeProps {
  /** The catalog's description of the pipe (infra/catalog.ts PIPES). */
  readonly spec: PipeSpec;
  readonly stage: string;
  /** The table whose stream is the source; its stream must be enabled. */
  readonly table: Table;
  /** The catalog function `spec.target` names. */
  readonly target: IFunction;
  /** Where the pipe's alarms notify (and say OK). */
  readonly alarmAction: IAlarmAction;
  /** For the pipe's DLQ: kept with the stack's data in prod. */
  readonly removalPolicy: RemovalPolicy;
  /** The customer managed key the pipe's DLQ is encrypted with (the stack's data key). */
  readonly encryptionKey: IKey;
}

/**
 * Most records a DynamoDB stream source batches (PipeSourceDynamoDBStreamParameters.BatchSize);
 * a Lambda target takes the batch whole, bounded by its 6 MB payload rather than a count.
 */
const STREAM_SOURCE_MAX_BATCH = 10_000;

/** The filter criteria patterns for the catalog's filter (EventBridge pattern syntax, as is). */
export function filterPatterns(filter: PipeSpec['filter']): string[] {
  return patternsOf(filter).map((p) => JSON.stringify(p));
}

/**
 * An EventBridge Pipe from the table's stream to a function, built from a catalog PipeSpec: the
 * catalog's filter as the filter criteria and a dead-letter queue of its own for what the pipe
 * cannot deliver after its retries (with an alarm on it, and one on the pipe's failed executions).
 * The function is invoked synchronously (REQUEST_RESPONSE) with the batch as a JSON array of stream
 * records, so its errors fail the batch and are retried in order.
 *
 * The role is the pipe's alone: read this table's stream, invoke the target function and send to
 * the DLQ, decrypt the stream when the table has a customer managed key, and use the DLQ's customer
 * managed key. Why: docs/adr/0003-routing-via-eventbridge-pipes.md, docs/adr/0019
 */
export class TablePipe extends Construct {
  readonly pipe: CfnPipe;
  readonly pipeName: string;
  readonly role: Role;
  readonly dlq: Queue;
  readonly dlqAlarm: Alarm;
  /** Executions that failed (a target refusing records, a pipe stopped by repeated 4xx…). */
  readonly failureAlarm: Alarm;

  constructor(scope: Construct, id: string, props: TablePipeProps) {
    super(scope, id);
    const { spec } = props;
    const stack = Stack.of(this);
    const streamArn = props.table.tableStreamArn;
    if (streamArn === undefined) {
      throw new Error(`pipe ${spec.name}: the table has no stream (set TABLE.stream in the catalog)`);
    }
    const targetArn = props.target.functionArn;
    // Synchronous: the function's error fails the batch, which the pipe retries in stream order.
    // The batch goes as is (a JSON array of stream records): no input template.
    const targetParameters: CfnPipe.PipeTargetParametersProperty = {
      lambdaFunctionParameters: { invocationType: 'REQUEST_RESPONSE' },
    };
    if (!Number.isInteger(spec.batchSize) || spec.batchSize < 1 || spec.batchSize > STREAM_SOURCE_MAX_BATCH) {
      throw new Error(
        `pipe ${spec.name}: batchSize ${spec.batchSize} is not in 1..${STREAM_SOURCE_MAX_BATCH}`,
      );
    }
    const targetLabel = `${spec.target.function} function`;

    // A fixed name: the DLQ's messages (`partnerResourceArn`) and the metrics name the pipe, and
    // the role's trust policy can name the pipe's ARN without a circular reference.
    this.pipeName = `urna-${props.stage}-${spec.name}`;
    const pipeArn = stack.formatArn({ service: 'pipes', resource: 'pipe', resourceName: this.pipeName });

    this.dlq = new Queue(this, 'Dlq', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: props.removalPolicy,
    });
    NagSuppressions.addResourceSuppressions(this.dlq, [
      {
        id: 'AwsSolutions-SQS3',
        reason:
          'This queue is itself a dead-letter queue: the DeadLetterConfig of an EventBridge pipe, which cdk-nag only ' +
          'recognises through an SQS RedrivePolicy or a Lambda DeadLetterConfig. A DLQ of a DLQ would add nothing; ' +
          'its alarm is what gets an operator to it.',
      },
      {
        id: 'Serverless-SQSRedrivePolicy',
        reason:
          "This queue is itself a dead-letter queue (the pipe's DeadLetterConfig): a redrive policy would need a " +
          'DLQ of a DLQ. Its alarm is what gets an operator to it.',
      },
    ]);

    const keys = this.dlq.encryptionMasterKey === undefined ? [] : [this.dlq.encryptionMasterKey.keyArn];
    const streamKey = props.table.encryptionKey;
    const deliver = [
      // The unqualified ARN only: the pipe invokes $LATEST, no version or alias.
      new PolicyStatement({
        sid: 'InvokeTheTarget',
        effect: Effect.ALLOW,
        actions: ['lambda:InvokeFunction'],
        resources: [targetArn],
      }),
      new PolicyStatement({
        sid: 'SendToDlq',
        effect: Effect.ALLOW,
        actions: ['sqs:SendMessage'],
        resources: [this.dlq.queueArn],
      }),
    ];
    this.role = new Role(this, 'Role', {
      description: `Urna ${props.stage}: the ${spec.name} pipe (table stream to the ${targetLabel})`,
      assumedBy: new ServicePrincipal('pipes.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnEquals: { 'aws:SourceArn': pipeArn },
      }),
      inlinePolicies: {
        pipe: new PolicyDocument({
          statements: [
            new PolicyStatement({
              sid: 'ReadTheTableStream',
              effect: Effect.ALLOW,
              actions: [
                'dynamodb:DescribeStream',
                'dynamodb:GetRecords',
                'dynamodb:GetShardIterator',
                'dynamodb:ListStreams',
              ],
              resources: [streamArn],
            }),
            // The stream is encrypted with the table's key.
            ...(streamKey === undefined
              ? []
              : [
                  new PolicyStatement({
                    sid: 'DecryptTheTableStream',
                    effect: Effect.ALLOW,
                    actions: ['kms:Decrypt'],
                    resources: [streamKey.keyArn],
                  }),
                ]),
            ...deliver,
            ...(keys.length === 0
              ? []
              : [
                  new PolicyStatement({
                    sid: 'EncryptForTheDlq',
                    effect: Effect.ALLOW,
                    actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
                    resources: keys,
                  }),
                ]),
          ],
        }),
      },
    });

    NagSuppressions.addResourceSuppressions(this.role, [
      {
        id: 'NIST.800.53.R5-IAMNoInlinePolicy',
        reason:
          "The role is this pipe's alone and its inline policy names only this pipe's stream, target, DLQ and " +
          'keys: a customer managed policy attached to this single role would be a second resource with the same ' +
          'lifecycle and nothing to share.',
      },
    ]);

    this.pipe = new CfnPipe(this, 'Pipe', {
      name: this.pipeName,
      description: `Urna ${props.stage}: ${spec.name}, table stream to the ${targetLabel} (infra/catalog.ts)`,
      roleArn: this.role.roleArn,
      desiredState: 'RUNNING',
      source: streamArn,
      sourceParameters: {
        dynamoDbStreamParameters: {
          startingPosition: spec.startingPosition,
          batchSize: spec.batchSize,
          maximumBatchingWindowInSeconds: spec.maximumBatchingWindowSeconds,
          maximumRetryAttempts: spec.maximumRetryAttempts,
          onPartialBatchItemFailure: 'AUTOMATIC_BISECT',
          deadLetterConfig: { arn: this.dlq.queueArn },
        },
        filterCriteria: { filters: filterPatterns(spec.filter).map((pattern) => ({ pattern })) },
      },
      target: targetArn,
      targetParameters,
    });

    this.dlqAlarm = watchDlq(
      this,
      'DlqAlarm',
      this.dlq,
      `Urna ${props.stage}: the ${spec.name} pipe dead-lettered stream records it could not deliver to the ` +
        `${targetLabel} (the messages point at the records in the stream, readable for 24 h)`,
      props.alarmAction,
    );
    this.failureAlarm = anyAboveZero(
      this,
      'FailureAlarm',
      new Metric({
        namespace: 'AWS/EventBridge/Pipes',
        metricName: 'ExecutionFailed',
        dimensionsMap: { PipeName: this.pipeName },
        period: Duration.minutes(5),
        statistic: 'Sum',
      }),
      `Urna ${props.stage}: executions of the ${spec.name} pipe are failing`,
      props.alarmAction,
    );
  }
}

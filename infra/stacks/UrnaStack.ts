import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  type HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { BackupPlan, BackupPlanRule, BackupResource } from 'aws-cdk-lib/aws-backup';
import { type Alarm, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, Schedule as EventsSchedule, Rule } from 'aws-cdk-lib/aws-events';
import { SqsQueue as SqsTarget } from 'aws-cdk-lib/aws-events-targets';
import { Effect, type IGrantable, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { EventSourceMapping } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import {
  ConfigurationSet,
  EmailSendingEvent,
  EventDestination,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { EVENTS_TARGET_QUEUE_SAME_ACCOUNT } from 'aws-cdk-lib/cx-api';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { TABLE_ACCESS_ENV, type TableAccess } from '../../shared/adapters/dynamodb/tableAccess.ts';
import { METRICS } from '../../shared/config.ts';
import { officersOnly, readsCitizenToken, readsOfficerToken } from '../../shared/http/route.ts';
import { ROUTES } from '../../shared/http/routes/index.ts';
import {
  AUTH_ENV,
  CITIZEN_AUTH_ENV,
  COMMON_ENV,
  catalogProblems,
  DOCUMENTS_CHUNK,
  FUNCTION_DEFAULTS,
  FUNCTIONS,
  type IndexProjection,
  PIPES,
  QUEUES,
  type QueueName,
  type QueueSpec,
  TABLE,
  tableAccessOf,
} from '../catalog.ts';
import { anyAboveZero, watchDlq } from '../constructs/alarms.ts';
import { DocumentsBucket } from '../constructs/DocumentsBucket.ts';
import { EdgeDistribution, type EdgeDistributionProps } from '../constructs/EdgeDistribution.ts';
import { Keys } from '../constructs/Keys.ts';
import { logGroupKey } from '../constructs/logKey.ts';
import { OfficerAuth } from '../constructs/OfficerAuth.ts';
import { Operations } from '../constructs/Operations.ts';
import { type LogLevel, ServerlessFunction } from '../constructs/ServerlessFunction.ts';
import { TablePipe } from '../constructs/TablePipe.ts';

/** The repository root: handler entries in the catalog are relative to it. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** DynamoDB actions; no Scan on purpose: every read is served by a key (catalog.ts). */
/** SQS's largest message (since 2025): the longest comment escaped for the queue fits. */
const MAX_MESSAGE_BYTES = 1_048_576;

const TABLE_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem'];
/** No DeleteItem: nothing deletes an item (TTL expires them), so no role may, audit events included. */
const TABLE_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem'];

/**
 * A function's table grants from its declared access (catalog `table`), each action limited to the
 * leading keys it may touch: reads, queries per index (the index's partition key), puts and
 * updates, and audit trails put only (append: no role may update an event). docs/adr/0018.
 */
function tableStatements(access: TableAccess, tableArn: string): PolicyStatement[] {
  const only = (actions: string[], resources: string[], keys: readonly string[]) =>
    new PolicyStatement({
      actions,
      resources,
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...keys] } },
    });
  const out: PolicyStatement[] = [];
  if (access.read.length > 0) out.push(only(TABLE_READ_ACTIONS, [tableArn], access.read));
  for (const [index, keys] of Object.entries(access.query)) {
    out.push(only(['dynamodb:Query'], [index === 'table' ? tableArn : `${tableArn}/index/${index}`], keys));
  }
  if (access.write.length > 0) {
    const actions = [...TABLE_WRITE_ACTIONS, ...(access.batchWrites ? ['dynamodb:BatchWriteItem'] : [])];
    out.push(only(actions, [tableArn], access.write));
  }
  if (access.append.length > 0) out.push(only(['dynamodb:PutItem'], [tableArn], access.append));
  return out;
}

export interface UrnaStackProps extends StackProps {
  /** Deployment stage: names the stack and its resources. */
  readonly stage: string;
  /**
   * Keep the data (table, queues' DLQs, logs, user pool, documents) when the stack or a resource
   * goes, with deletion protection and backups. Said explicitly, never read off the stage's name.
   */
  readonly retain: boolean;
  /** Days logs are kept. @default 365 (a year of evidence for an entity's internal control) */
  readonly logRetentionDays?: number;
  /** Days the daily and the monthly backups of the table are kept (with `retain`). @default 35 and 365 */
  readonly backupDays?: { readonly daily: number; readonly monthly: number };
  /** Where handler entries and package-lock.json live. @default the repository root */
  readonly projectRoot?: string;
  /** CORS origins for browsers. @default ['*'] (no cookies or credentials are used) */
  readonly corsAllowOrigins?: readonly string[];
  /** Default stage throttling of the HTTP API. @default 50 rps, burst 100 */
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
  /**
   * Throttling of each route where anyone may write (filings, comments, supports, uploads, the
   * petitioner's acts): a flood there cannot take the whole stage's rate. @default 20 rps, burst 40
   */
  readonly publicWriteThrottle?: { readonly rateLimit: number; readonly burstLimit: number };
  /** @default INFO */
  readonly logLevel?: LogLevel;
  /**
   * Versions of the KMS keys (constructs/Keys.ts): receipts signed by the last, the earlier ones
   * still published; pseudonyms made under the last, looked up under all. Rotate by adding one.
   * @default 1 each
   */
  readonly keyVersions?: { readonly receipts?: number; readonly pseudonyms?: number };
  /**
   * The citizens' identity provider (OIDC issuer URL and the audience of its ID tokens), given to
   * the functions whose routes read a citizen's token. Absent: those routes answer 500 (not configured).
   */
  readonly citizenAuth?: { readonly issuer: string; readonly audience: string };
  /**
   * The address notices are sent from (a verified SES identity: the address or its domain), given
   * to the functions with `notifies` in the catalog, which may send from it only. Absent: those
   * functions fail at cold start (NOTICE_SENDER missing) and their messages wait in the DLQ, alarmed.
   */
  readonly noticeSender?: string;
  /**
   * SMS through End User Messaging: the origination identity (ARN, phone-… or pool-… id) and a
   * configuration set the `notifies` functions may send from, only. Absent: no SMS (publication).
   */
  readonly sms?: { readonly originationIdentity: string; readonly configurationSet?: string };
  /**
   * The tracking view SMS notices link to, a URL template with `{radicado}` (a portal's page).
   * @default the API's own `GET /v1/cases/{radicado}`
   */
  readonly trackingUrl?: string;
  /**
   * GuardDuty Malware Protection for S3 on the documents bucket (a document is readable once
   * scanned clean). @default false (it is billed per GB scanned)
   */
  readonly malwareProtection?: boolean;
  /** An address subscribed to the alarm topic (it confirms by email). @default none: subscribe by hand */
  readonly alarmEmail?: string;
  /**
   * Concurrency reserved for FileCase: filings always find room, and a flood cannot take the
   * account's whole pool; 0 reserves none (Lambda keeps 100 unreserved, so reserving needs a
   * quota above 122: a new account's 10 must be raised first). @default 20
   */
  readonly fileCaseConcurrency?: number;
  /** Notify invocations at once (SQS event source maxConcurrency, ≥ 2): below the SES send rate. @default 2 */
  readonly notifyConcurrency?: number;
  /**
   * Throttles of single routes by route key ("POST /v1/cases"), over the defaults above.
   * @default none
   */
  readonly routeThrottles?: Readonly<
    Record<string, { readonly rateLimit: number; readonly burstLimit: number }>
  >;
  /**
   * CloudFront in front of the API, behind the edge stack's WebACL; with a domain, the API's
   * execute-api endpoint is off (docs/adr/0015-edge-cloudfront-waf.md). @default none
   */
  readonly edge?: Omit<EdgeDistributionProps, 'stage' | 'api' | 'apiStage'>;
}

export interface UrnaQueue {
  readonly spec: QueueSpec;
  readonly queue: Queue;
  readonly dlq: Queue;
  readonly dlqAlarm: Alarm;
}

/**
 * The whole of Urna on AWS, built from infra/catalog.ts: one table, the queues with their DLQs and
 * alarms, and every function wired to its trigger with least-privilege grants.
 */
export class UrnaStack extends Stack {
  readonly stage: string;
  readonly table: Table;
  readonly queues: ReadonlyMap<QueueName, UrnaQueue>;
  /** The catalog's PIPES by name: table stream → queue (the transactional outbox) or function. */
  readonly pipes: ReadonlyMap<string, TablePipe>;
  readonly functions: ReadonlyMap<string, ServerlessFunction>;
  readonly api: HttpApi;
  readonly apiStage: HttpStage;
  /** CloudFront and, with a domain, the API's origin domain (when `edge` is given). */
  readonly edge?: EdgeDistribution;
  /** Where clients call the API: the distribution's URL with an edge, else the stage's. */
  readonly publicUrl: string;
  readonly alarmTopic: Topic;
  /** Encrypts the table (and its stream and backups), every queue and DLQ. */
  readonly dataKey: Key;
  /** Encrypts every log group (the functions' and the API's access logs). */
  readonly logKey: Key;
  /** Receipt signing keys and pseudonym keys, in KMS. */
  readonly keys: Keys;
  readonly officerAuth: OfficerAuth;
  readonly documents: DocumentsBucket;
  readonly operations: Operations;

  constructor(scope: Construct, id: string, props: UrnaStackProps) {
    super(scope, id, props);
    // With an SSE-KMS queue as a rule's target, CDK then lets EventBridge send to it (and use its
    // key) for this account's rules only, instead of for any account's.
    this.node.setContext(EVENTS_TARGET_QUEUE_SAME_ACCOUNT, true);
    this.stage = props.stage;
    const isProd = props.retain;
    const dataRemovalPolicy = props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const logRetention = retentionDays(props.logRetentionDays ?? 365);
    const projectRoot = props.projectRoot ?? PROJECT_ROOT;
    const problems = catalogProblems(PIPES, FUNCTIONS);
    if (problems.length > 0) throw new Error(`catalog: ${problems.join('; ')}`);

    // ── Alarms: an encrypted topic an operator subscribes to ──────────────────────────────────
    // A customer managed key, because CloudWatch alarms cannot publish to a topic encrypted with
    // the AWS managed aws/sns key (its policy cannot grant cloudwatch.amazonaws.com).
    const alarmKey = new Key(this, 'AlarmTopicKey', {
      description: `Urna ${props.stage}: encrypts the alarm topic`,
      enableKeyRotation: true,
      removalPolicy: dataRemovalPolicy,
    });
    alarmKey.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.alarmTopic = new Topic(this, 'AlarmTopic', {
      displayName: `Urna ${props.stage} alarms`,
      masterKey: alarmKey,
      enforceSSL: true,
    });
    // enforceSSL gives the topic an explicit policy, which replaces the default one: CloudWatch
    // (publishing for this account's alarms only) has to be allowed by name.
    this.alarmTopic.addToResourcePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.alarmTopic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': this.account },
          ArnLike: {
            'aws:SourceArn': `arn:${this.partition}:cloudwatch:${this.region}:${this.account}:alarm:*`,
          },
        },
      }),
    );
    const alarmAction = new SnsAction(this.alarmTopic);

    // ── Customer managed keys, rotated yearly, kept with the data ─────────────────────────────
    // Two keys: the data key's users are our roles plus EventBridge (to the deliveries queue);
    // the log key's only user is CloudWatch Logs, for this account's log groups. Neither service
    // may then use the other's key.
    this.dataKey = new Key(this, 'DataKey', {
      description: `Urna ${props.stage}: encrypts the table, its stream and backups, and the queues`,
      enableKeyRotation: true,
      removalPolicy: dataRemovalPolicy,
    });
    this.logKey = logGroupKey(
      this,
      'LogKey',
      `Urna ${props.stage}: encrypts the log groups`,
      dataRemovalPolicy,
    );
    /** SendMessage to an SSE-KMS queue: the producer makes (and checks) data keys with its key. */
    const grantSend = (grantee: IGrantable, queue: IQueue): void => {
      grantee.grantPrincipal.addToPrincipalPolicy(
        new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }),
      );
      this.dataKey.grant(grantee, 'kms:GenerateDataKey', 'kms:Decrypt');
    };
    if (props.alarmEmail !== undefined) {
      const subscription = this.alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail));
      NagSuppressions.addResourceSuppressions(subscription, [
        {
          id: 'Serverless-SNSRedrivePolicy',
          reason:
            "An operator's e-mail copy of an alarm: one SNS could not deliver has nothing to replay, the alarm " +
            'itself stays in ALARM in CloudWatch (and on the dashboard); a DLQ would need an alarm of its own on ' +
            'this same topic.',
        },
      ]);
    }

    // ── The table ─────────────────────────────────────────────────────────────────────────────
    this.table = new Table(this, TABLE.name, {
      partitionKey: { name: TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.dataKey,
      timeToLiveAttribute: TABLE.timeToLiveAttribute,
      stream: StreamViewType[TABLE.stream],
      deletionProtection: isProd,
      removalPolicy: dataRemovalPolicy,
    });
    for (const index of TABLE.indexes) {
      // The catalog's lean projection (docs/adr/0020): readers that need more fetch the items.
      const projection: IndexProjection = index.projection;
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        ...(projection.type === 'INCLUDE'
          ? { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: [...projection.attributes] }
          : { projectionType: ProjectionType.KEYS_ONLY }),
      });
    }
    // Backups of what is kept: daily and monthly, beside point-in-time recovery (35 days).
    if (props.retain) {
      const days = props.backupDays ?? { daily: 35, monthly: 365 };
      const plan = new BackupPlan(this, 'TableBackupPlan', {
        backupPlanName: `urna-${props.stage}`,
        backupPlanRules: [
          new BackupPlanRule({
            ruleName: 'Daily',
            scheduleExpression: EventsSchedule.cron({ hour: '5', minute: '0' }),
            deleteAfter: Duration.days(days.daily),
          }),
          new BackupPlanRule({
            ruleName: 'Monthly',
            scheduleExpression: EventsSchedule.cron({ day: '1', hour: '5', minute: '0' }),
            deleteAfter: Duration.days(days.monthly),
          }),
        ],
      });
      const selection = plan.addSelection('Table', {
        resources: [BackupResource.fromDynamoDbTable(this.table)],
      });
      NagSuppressions.addResourceSuppressions(
        selection,
        [
          {
            id: 'AwsSolutions-IAM4',
            reason:
              "AWS Backup's own service role policy (AWSBackupServiceRolePolicyForBackup), the role Backup assumes to back up what this selection names: the table only.",
            appliesTo: [
              'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup',
            ],
          },
        ],
        true,
      );
    } else {
      NagSuppressions.addResourceSuppressions(this.table, [
        {
          id: 'NIST.800.53.R5-DynamoDBInBackupPlan',
          reason:
            'A throwaway stage (retain=false): the table goes with the stack, so a backup plan would keep what ' +
            'the stage is meant to lose. Point-in-time recovery still covers mistakes while it lives; a stage ' +
            'that keeps data (retain=true) gets the daily and monthly AWS Backup plan.',
        },
      ]);
    }

    // ── Queues, each with its DLQ and an alarm on it ──────────────────────────────────────────
    const queues = new Map<QueueName, UrnaQueue>();
    for (const spec of QUEUES) {
      const id = pascal(spec.name);
      const dlq = new Queue(this, `${id}Dlq`, {
        encryption: QueueEncryption.KMS,
        encryptionMasterKey: this.dataKey,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
        maxMessageSizeBytes: MAX_MESSAGE_BYTES,
        removalPolicy: dataRemovalPolicy,
      });
      NagSuppressions.addResourceSuppressions(dlq, [
        {
          id: 'Serverless-SQSRedrivePolicy',
          reason: `This queue is itself the dead-letter queue of the ${spec.name} queue (its redrive policy names it); a DLQ of a DLQ would add nothing. Its alarm gets an operator to it.`,
        },
      ]);
      const queue = new Queue(this, `${id}Queue`, {
        encryption: QueueEncryption.KMS,
        encryptionMasterKey: this.dataKey,
        enforceSSL: true,
        maxMessageSizeBytes: MAX_MESSAGE_BYTES,
        visibilityTimeout: Duration.seconds(spec.visibilityTimeout),
        retentionPeriod: Duration.days(4),
        deadLetterQueue: { queue: dlq, maxReceiveCount: spec.maxReceiveCount },
        removalPolicy: dataRemovalPolicy,
      });
      const dlqAlarm = watchDlq(
        this,
        `${id}DlqAlarm`,
        dlq,
        `Urna ${props.stage}: messages in the ${spec.name} dead-letter queue need an operator`,
        alarmAction,
      );
      queues.set(spec.name, { spec, queue, dlq, dlqAlarm });
      new CfnOutput(this, `${id}QueueUrl`, { value: queue.queueUrl });
      new CfnOutput(this, `${id}DlqUrl`, { value: dlq.queueUrl });
    }
    this.queues = queues;
    const queueOf = (name: QueueName): UrnaQueue => {
      const q = queues.get(name);
      if (q === undefined) throw new Error(`catalog: no queue named "${name}"`);
      return q;
    };

    // ── Keys in KMS: receipts signed there, pseudonyms keyed there; no private key readable ────
    this.keys = new Keys(this, 'Keys', {
      stage: props.stage,
      removalPolicy: dataRemovalPolicy,
      ...(props.keyVersions?.receipts !== undefined
        ? { receiptKeyVersions: props.keyVersions.receipts }
        : {}),
      ...(props.keyVersions?.pseudonyms !== undefined
        ? { pseudonymKeyVersions: props.keyVersions.pseudonyms }
        : {}),
    });

    // ── Officers' identities (Cognito) and the JWT authorizer of their routes ─────────────────
    this.officerAuth = new OfficerAuth(this, 'OfficerAuth', {
      stage: props.stage,
      removalPolicy: dataRemovalPolicy,
      deletionProtection: isProd,
    });

    // ── Citizens' and officers' documents (browser to bucket; docs/adr/0009-documents.md) ────
    this.documents = new DocumentsBucket(this, 'DocumentsBucket', {
      stage: props.stage,
      removalPolicy: dataRemovalPolicy,
      corsAllowOrigins: props.corsAllowOrigins ?? ['*'],
      malwareProtection: props.malwareProtection ?? false,
    });

    // ── The HTTP API ──────────────────────────────────────────────────────────────────────────
    this.api = new HttpApi(this, 'HttpApi', {
      apiName: `urna-${props.stage}`,
      // With a domain, the API answers only at its origin domain, which is CloudFront's origin.
      disableExecuteApiEndpoint: props.edge?.domain !== undefined,
      description: 'Urna PQRSD API',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [...(props.corsAllowOrigins ?? ['*'])],
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT, CorsHttpMethod.OPTIONS],
        allowHeaders: [
          'content-type',
          'if-match',
          'idempotency-key',
          'x-tracking-code',
          'authorization',
          'x-device-key',
          'if-none-match',
        ],
        exposeHeaders: ['etag', 'link', 'location'],
        maxAge: Duration.hours(1),
      },
    });
    const accessLogs = new LogGroup(this, 'HttpApiAccessLogs', {
      retention: logRetention,
      removalPolicy: dataRemovalPolicy,
      encryptionKey: this.logKey,
    });
    this.apiStage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle ?? { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            method: '$context.httpMethod',
            routeKey: '$context.routeKey',
            path: '$context.path',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });
    // Each route anyone may write to has its own, lower limits (the stage's default for the rest),
    // and any route may be given its own (routeThrottles), over those.
    const writeThrottle = props.publicWriteThrottle ?? { rateLimit: 20, burstLimit: 40 };
    const routeKeys = new Set(ROUTES.map((r) => `${r.method} ${r.path}`));
    const unknown = Object.keys(props.routeThrottles ?? {}).filter((key) => !routeKeys.has(key));
    if (unknown.length > 0) {
      throw new Error(
        `routeThrottles: no route ${unknown.map((k) => `"${k}"`).join(', ')} (a key is "METHOD /path" as in shared/http/routes)`,
      );
    }
    const throttles: [string, { rateLimit: number; burstLimit: number }][] = [
      ...ROUTES.filter((r) => r.method !== 'GET' && !officersOnly(r.access)).map(
        (r): [string, { rateLimit: number; burstLimit: number }] => [`${r.method} ${r.path}`, writeThrottle],
      ),
      ...Object.entries(props.routeThrottles ?? {}),
    ];
    (this.apiStage.node.defaultChild as CfnStage).routeSettings = Object.fromEntries(
      throttles.map(([key, t]) => [
        key,
        // CloudFormation's own casing: RouteSettings is passed through as it is.
        { ThrottlingRateLimit: t.rateLimit, ThrottlingBurstLimit: t.burstLimit },
      ]),
    );
    if (props.edge !== undefined) {
      this.edge = new EdgeDistribution(this, 'Edge', {
        ...props.edge,
        stage: props.stage,
        api: this.api,
        apiStage: this.apiStage,
      });
    }
    this.publicUrl = this.edge?.url ?? this.apiStage.url;

    // ── Functions, each wired to its trigger ──────────────────────────────────────────────────
    // ── Notices by email: a configuration set that keeps bounced and complaining addresses off
    // (SES suppression) and reports reputation, alarmed before SES would pause sending ───────────
    const noticeSet =
      props.noticeSender === undefined
        ? undefined
        : new ConfigurationSet(this, 'NoticeConfigurationSet', {
            suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
            reputationMetrics: true,
            sendingEnabled: true,
          });
    if (noticeSet !== undefined) {
      const reputation = (metricName: string) =>
        new Metric({
          namespace: 'AWS/SES',
          metricName,
          dimensionsMap: { 'ses:configuration-set': noticeSet.configurationSetName },
          statistic: 'Maximum',
          period: Duration.hours(1),
        });
      // SES reviews an account past 5 % bounces or 0.1 % complaints: be told at half of each.
      anyAboveZero(
        this,
        'NoticeBounceRateAlarm',
        reputation('Reputation.BounceRate'),
        `Urna ${props.stage}: notice bounce rate above 2.5 %`,
        alarmAction,
        0.025,
      );
      anyAboveZero(
        this,
        'NoticeComplaintRateAlarm',
        reputation('Reputation.ComplaintRate'),
        `Urna ${props.stage}: notice complaint rate above 0.05 %`,
        alarmAction,
        0.0005,
      );
    }

    // ── Delivery reports: the notice configuration set's SES events and the SMS delivery events
    // reach the deliveries queue from the default bus (SES publishes only there). docs/adr/0012 ──
    const deliveries = queueOf('deliveries');
    const toDeliveries = new SqsTarget(deliveries.queue, {
      deadLetterQueue: deliveries.dlq,
      maxEventAge: Duration.hours(24),
    });
    const defaultBus = EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    if (noticeSet !== undefined) {
      noticeSet.addEventDestination('NoticeDeliveryReports', {
        destination: EventDestination.eventBus(defaultBus),
        events: [EmailSendingEvent.DELIVERY, EmailSendingEvent.BOUNCE, EmailSendingEvent.REJECT],
      });
      new Rule(this, 'EmailDeliveryReports', {
        description: `Urna ${props.stage}: delivery reports of petitioners' email notices`,
        eventPattern: {
          source: ['aws.ses'],
          detailType: ['Email Delivered', 'Email Bounced', 'Email Rejected'],
          // Petitioners' notices only: they carry their radicado (domain/deliveryReports.ts).
          detail: {
            mail: {
              tags: {
                'ses:configuration-set': [noticeSet.configurationSetName],
                radicado: [{ exists: true }],
              },
            },
          },
        },
        targets: [toDeliveries],
      });
    }
    if (props.sms !== undefined) {
      new Rule(this, 'SmsDeliveryReports', {
        description: `Urna ${props.stage}: delivery reports of petitioners' SMS notices`,
        eventPattern: { source: ['aws.sms-voice'], detailType: ['Text Message Delivery Status Updated'] },
        targets: [toDeliveries],
      });
    }

    const functions = new Map<string, ServerlessFunction>();
    for (const spec of FUNCTIONS) {
      const defaults = FUNCTION_DEFAULTS[spec.trigger.type];
      const timeoutSeconds = spec.timeoutSeconds ?? defaults.timeoutSeconds;
      const environment: Record<string, string> = {
        ...(spec.table === undefined
          ? {}
          : {
              [COMMON_ENV.tableName]: this.table.tableName,
              [TABLE_ACCESS_ENV]: JSON.stringify(tableAccessOf(spec)),
            }),
        URNA_STAGE: props.stage,
        // Behind CloudFront the connection is CloudFront's: limits key on the viewer it forwards.
        ...(props.edge !== undefined && spec.trigger.type === 'http' ? { TRUSTED_PROXY_HOPS: '1' } : {}),
      };
      const fn = new ServerlessFunction(this, spec.name, {
        entry: `${projectRoot}/${spec.entry}`,
        projectRoot,
        description: `Urna ${props.stage}: ${spec.entry}`,
        memorySize: spec.memorySize ?? defaults.memorySize,
        timeout: Duration.seconds(timeoutSeconds),
        environment,
        logLevel: props.logLevel ?? 'INFO',
        logRemovalPolicy: dataRemovalPolicy,
        logRetention,
        logKey: this.logKey,
        ...(spec.documents !== undefined
          ? { chunks: { [DOCUMENTS_CHUNK.file]: DOCUMENTS_CHUNK.entry } }
          : {}),
        // A schedule never overlaps itself (one at a time); FileCase keeps room for filings.
        ...(spec.trigger.type === 'schedule'
          ? { reservedConcurrency: 1 }
          : spec.name === 'FileCase' && (props.fileCaseConcurrency ?? 20) > 0
            ? { reservedConcurrency: props.fileCaseConcurrency ?? 20 }
            : {}),
      });
      const handler = fn.function;

      if (spec.table !== undefined) {
        for (const statement of tableStatements(tableAccessOf(spec), this.table.tableArn)) {
          handler.addToRolePolicy(statement);
        }
      }
      // The table is encrypted with the data key, which DynamoDB uses with the caller's rights:
      // decrypt to read, encrypt (under new data keys) to write.
      if (spec.table !== undefined) {
        const access = tableAccessOf(spec);
        const writes = access.write.length + access.append.length > 0;
        this.dataKey.grant(
          handler,
          'kms:Decrypt',
          'kms:DescribeKey',
          ...(writes ? ['kms:Encrypt', 'kms:GenerateDataKey'] : []),
        );
      }
      const routes = spec.trigger.type === 'http' ? spec.trigger.routes : [];
      if (routes.some((r) => readsOfficerToken(r.access))) {
        handler.addEnvironment(AUTH_ENV.issuer, this.officerAuth.issuer);
        handler.addEnvironment(AUTH_ENV.clientId, this.officerAuth.client.userPoolClientId);
      }
      if (routes.some((r) => readsCitizenToken(r.access)) && props.citizenAuth !== undefined) {
        handler.addEnvironment(CITIZEN_AUTH_ENV.issuer, props.citizenAuth.issuer);
        handler.addEnvironment(CITIZEN_AUTH_ENV.audience, props.citizenAuth.audience);
      }
      for (const name of spec.sendsTo ?? []) {
        const { spec: queueSpec, queue } = queueOf(name);
        handler.addEnvironment(queueSpec.urlEnv, queue.queueUrl);
        grantSend(handler, queue);
      }
      if (spec.notifies === true) {
        handler.addEnvironment('NOTIFIER', 'ses');
        // Alerts go to officers and supervisors: the user pool's groups are the directory.
        handler.addEnvironment('OFFICER_USER_POOL_ID', this.officerAuth.userPool.userPoolId);
        handler.addToRolePolicy(
          new PolicyStatement({
            actions: ['cognito-idp:ListUsers', 'cognito-idp:ListUsersInGroup'],
            resources: [this.officerAuth.userPool.userPoolArn],
          }),
        );
        if (props.noticeSender !== undefined) {
          const sender = props.noticeSender;
          const domain = sender.slice(sender.lastIndexOf('@') + 1);
          handler.addEnvironment('NOTICE_SENDER', sender);
          if (noticeSet !== undefined) {
            handler.addEnvironment('NOTICE_CONFIGURATION_SET', noticeSet.configurationSetName);
          }
          handler.addToRolePolicy(
            new PolicyStatement({
              actions: ['ses:SendEmail'],
              // The identity SES authorizes against (the address when verified itself, else its
              // domain), and the configuration set every notice is sent with.
              resources: [
                ...[sender, domain].map((identity) =>
                  this.formatArn({ service: 'ses', resource: 'identity', resourceName: identity }),
                ),
                ...(noticeSet === undefined
                  ? []
                  : [
                      this.formatArn({
                        service: 'ses',
                        resource: 'configuration-set',
                        resourceName: noticeSet.configurationSetName,
                      }),
                    ]),
              ],
              conditions: { StringEquals: { 'ses:FromAddress': sender } },
            }),
          );
        }
      }
      if (spec.notifies === true) {
        handler.addEnvironment('TRACKING_URL', props.trackingUrl ?? `${this.publicUrl}v1/cases/{radicado}`);
      }
      if (spec.notifies === true && props.sms !== undefined) {
        const { originationIdentity, configurationSet } = props.sms;
        handler.addEnvironment('SMS_ORIGINATION_IDENTITY', originationIdentity);
        if (configurationSet !== undefined) handler.addEnvironment('SMS_CONFIGURATION_SET', configurationSet);
        handler.addToRolePolicy(
          new PolicyStatement({
            actions: ['sms-voice:SendTextMessage'],
            resources: [
              this.smsArn(originationIdentity),
              ...(configurationSet === undefined ? [] : [this.smsArn(configurationSet, 'configuration-set')]),
            ],
          }),
        );
      }
      if (spec.documents !== undefined) {
        handler.addEnvironment('DOCUMENTS_BUCKET', this.documents.bucket.bucketName);
        this.documents.grantRead(handler);
        if (spec.documents === 'serve') this.documents.grantUpload(handler);
        else this.documents.grantWrite(handler);
      }
      // Sign, GetPublicKey or GenerateMac, as the catalog says it needs (docs/adr/0016-keys-in-kms.md).
      this.keys.wire(handler, spec);

      const trigger = spec.trigger;
      switch (trigger.type) {
        case 'http': {
          NagSuppressions.addResourceSuppressions(
            handler,
            lambdaDlqSuppressions(
              'invoked synchronously by API Gateway; a failure is the 5xx answer the client gets (and the Errors alarm)',
            ),
          );
          const integration = new HttpLambdaIntegration(`${spec.name}Integration`, handler);
          for (const route of trigger.routes) {
            const routeKey = `${route.method} ${route.path}`;
            const access = route.access;
            if (officersOnly(access)) {
              this.api.addRoutes({
                path: route.path,
                methods: [HttpMethod[route.method]],
                integration,
                authorizer: this.officerAuth.authorizer,
              });
              continue;
            }
            const [httpRoute] = this.api.addRoutes({
              path: route.path,
              methods: [HttpMethod[route.method]],
              integration,
            });
            if (httpRoute === undefined) throw new Error(`${routeKey}: no route created`);
            NagSuppressions.addResourceSuppressions(
              httpRoute,
              [{ id: 'AwsSolutions-APIG4', reason: access.public }],
              true,
            );
          }
          if (trigger.fallback === true) {
            // What no declared route takes reaches this function, which answers a 404/405 problem.
            const fallback = new HttpRoute(this, 'DefaultRoute', {
              httpApi: this.api,
              routeKey: HttpRouteKey.DEFAULT,
              integration,
            });
            NagSuppressions.addResourceSuppressions(fallback, [
              {
                id: 'AwsSolutions-APIG4',
                reason:
                  'The $default route only answers the 404/405 problem for a request no declared route takes; it reads nothing and returns no data.',
              },
            ]);
          }
          break;
        }
        case 'queue': {
          const { spec: queueSpec, queue, dlq } = queueOf(trigger.queue);
          if (queueSpec.visibilityTimeout < 6 * timeoutSeconds) {
            throw new Error(
              `${spec.name}: queue "${queueSpec.name}" visibility timeout ${queueSpec.visibilityTimeout}s is less ` +
                `than 6× the consumer timeout (${timeoutSeconds}s)`,
            );
          }
          handler.addEventSource(
            new SqsEventSource(queue, {
              batchSize: trigger.batchSize,
              ...(trigger.maxBatchingWindowSeconds === undefined
                ? {}
                : { maxBatchingWindow: Duration.seconds(trigger.maxBatchingWindowSeconds) }),
              reportBatchItemFailures: true,
              ...(spec.notifies === true ? { maxConcurrency: props.notifyConcurrency ?? 2 } : {}),
            }),
          );
          // The consumer dead-letters messages it knows can never succeed (invalid filings) itself.
          handler.addEnvironment(queueSpec.dlqUrlEnv, dlq.queueUrl);
          grantSend(handler, dlq);
          for (const mapping of handler.node.children.filter((c) => c instanceof EventSourceMapping)) {
            NagSuppressions.addResourceSuppressions(mapping, [
              {
                id: 'Serverless-LambdaEventSourceMappingDestination',
                reason: `Lambda takes on-failure destinations for stream and Kafka sources only, not SQS: a message that fails ${queueSpec.maxReceiveCount} times goes to the ${queueSpec.name} DLQ by the queue's redrive policy, alarmed.`,
              },
            ]);
          }
          NagSuppressions.addResourceSuppressions(
            handler,
            lambdaDlqSuppressions(
              `invoked synchronously by its SQS event source; a message it fails is retried by the queue, then moved to the ${queueSpec.name} DLQ (alarmed) by the redrive policy`,
            ),
          );
          break;
        }
        case 'schedule': {
          // EventBridge Scheduler: retries an invocation it could not make, then dead-letters it
          // (alarmed). A failed run is simply redone by the next tick; Lambda's own async retries
          // would only overlap it (and reserved concurrency 1 keeps runs from overlapping).
          const dlq = new Queue(this, `${spec.name}ScheduleDlq`, {
            encryption: QueueEncryption.KMS,
            encryptionMasterKey: this.dataKey,
            enforceSSL: true,
            retentionPeriod: Duration.days(14),
            removalPolicy: dataRemovalPolicy,
          });
          NagSuppressions.addResourceSuppressions(dlq, [
            {
              id: 'AwsSolutions-SQS3',
              reason:
                "This queue is itself a dead-letter queue: the schedule target's DeadLetterConfig (EventBridge Scheduler), which cdk-nag does not recognise; its alarm gets an operator to it.",
            },
            {
              id: 'Serverless-SQSRedrivePolicy',
              reason:
                "This queue is itself a dead-letter queue (the schedule target's DeadLetterConfig): a redrive policy would need a DLQ of a DLQ. Its alarm gets an operator to it.",
            },
          ]);
          watchDlq(
            this,
            `${spec.name}ScheduleDlqAlarm`,
            dlq,
            `Urna ${props.stage}: the scheduler could not invoke ${spec.name}`,
            alarmAction,
          );
          // Its own role: Scheduler of this account may invoke this function (and send to its DLQ).
          const role = new Role(this, `${spec.name}ScheduleRole`, {
            assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
              conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
            }),
          });
          new Schedule(this, `${spec.name}Schedule`, {
            description: `Urna ${props.stage}: runs ${spec.name} every ${trigger.everyMinutes} minutes`,
            schedule: ScheduleExpression.rate(Duration.minutes(trigger.everyMinutes)),
            target: new LambdaInvoke(handler, {
              role,
              retryAttempts: 2,
              maxEventAge: Duration.minutes(trigger.everyMinutes),
              deadLetterQueue: dlq,
            }),
          });
          // Scheduler sends to the DLQ with this role: SSE-KMS needs the data key too.
          this.dataKey.grant(role, 'kms:GenerateDataKey', 'kms:Decrypt');
          // After the schedule: the target's binding made the role's policy.
          NagSuppressions.addResourceSuppressions(
            role,
            [
              {
                id: 'AwsSolutions-IAM5',
                reason:
                  'lambda:InvokeFunction on this one function and its versions (`<arn>:*`, how CDK grants invoke); no other function.',
                appliesTo: [{ regex: `/^Resource::<${spec.name}Function[A-Za-z0-9]+\\.Arn>:\\*$/g` }],
              },
              {
                id: 'NIST.800.53.R5-IAMNoInlinePolicy',
                reason: `The role is this schedule's alone and its policy names only the ${spec.name} function, its DLQ and the data key: a customer managed policy attached to this one role would be a second resource with the same lifecycle and nothing to share.`,
              },
            ],
            true,
          );
          handler.configureAsyncInvoke({ retryAttempts: 0 });
          // A failed run carries nothing to replay: its event is only a tick of the clock.
          const tick = `invoked asynchronously by its schedule every ${trigger.everyMinutes} minutes; a failed run has nothing to replay (its event is a tick), the next run redoes the whole pass from the table, and its Errors and Heartbeat alarms tell an operator`;
          NagSuppressions.addResourceSuppressions(handler, lambdaDlqSuppressions(tick));
          NagSuppressions.addResourceSuppressions(
            handler,
            [{ id: 'Serverless-LambdaAsyncFailureDestination', reason: `${pascal(tick)}.` }],
            true,
          );
          break;
        }
        case 'pipe':
          // Invoked by the catalog pipe that names it (built below, once the function exists):
          // synchronously, so it has no event source and no async retries of its own.
          NagSuppressions.addResourceSuppressions(
            handler,
            lambdaDlqSuppressions(
              "invoked synchronously (REQUEST_RESPONSE) by its table stream pipe; a batch it fails is retried by the pipe, then dead-lettered to the pipe's own DLQ (alarmed)",
            ),
          );
          break;
      }
      functions.set(spec.name, fn);
    }
    this.functions = functions;

    // ── Pipes: the table's stream to a function (the outbox's Relay, Count) ────────────────────
    // After the functions: a pipe invokes its function by its ARN.
    const pipes = new Map<string, TablePipe>();
    for (const spec of PIPES) {
      const fn = functions.get(spec.target.function);
      if (fn === undefined) throw new Error(`catalog: no function named "${spec.target.function}"`);
      const pipe = new TablePipe(this, `${spec.name}Pipe`, {
        spec,
        stage: props.stage,
        table: this.table,
        target: fn.function,
        alarmAction,
        removalPolicy: dataRemovalPolicy,
        encryptionKey: this.dataKey,
      });
      pipes.set(spec.name, pipe);
      new CfnOutput(this, `${spec.name}PipeDlqUrl`, { value: pipe.dlq.queueUrl });
    }
    this.pipes = pipes;

    // ── Operations: an alarm for each quiet failure, one dashboard ────────────────────────────
    this.operations = new Operations(this, 'Operations', {
      stage: props.stage,
      action: alarmAction,
      api: this.api,
      table: this.table,
      indexNames: TABLE.indexes.map((i) => i.name),
      functions: FUNCTIONS.map((spec) => ({
        name: spec.name,
        fn: (functions.get(spec.name) as ServerlessFunction).function,
        ...(spec.trigger.type === 'schedule' ? { scheduleMinutes: spec.trigger.everyMinutes } : {}),
      })),
      queues: [...queues.values()].map((q) => ({ name: q.spec.name, queue: q.queue })),
      metrics: METRICS,
    });

    // ── Outputs ───────────────────────────────────────────────────────────────────────────────
    new CfnOutput(this, 'ApiUrl', {
      value: this.publicUrl,
      description: 'Where clients call the API (CloudFront, behind AWS WAF, when the edge is on)',
    });
    if (this.edge?.originDomain !== undefined && props.edge?.domain?.zone === undefined) {
      // No hosted zone given: the two records are made by hand, in whatever DNS holds the domain.
      new CfnOutput(this, 'DnsRecords', {
        value: `${props.edge?.domain?.name} CNAME ${this.edge.distribution.distributionDomainName}; origin.${props.edge?.domain?.name} CNAME ${this.edge.originDomain.regionalDomainName}`,
      });
    }
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarmTopic.topicArn,
      description:
        'Subscribe an operator: aws sns subscribe --topic-arn <arn> --protocol email --notification-endpoint <email>',
    });
    new CfnOutput(this, 'OfficerUserPoolId', {
      value: this.officerAuth.userPool.userPoolId,
      description:
        'Officers: create users here (admin only) and add them to entity:<ID>, role:<role> and office:<id> groups',
    });
    new CfnOutput(this, 'OfficerWebClientId', { value: this.officerAuth.client.userPoolClientId });
    new CfnOutput(this, 'AuthIssuer', { value: this.officerAuth.issuer });
    new CfnOutput(this, 'ReceiptKeyArn', {
      value: this.keys.currentReceiptKey.keyArn,
      description:
        'The KMS Ed25519 key that signs receipts now (its public key is in /.well-known/jwks.json)',
    });
  }

  /** The ARN of an End User Messaging SMS resource given as an ARN, a `phone-…`/`pool-…` id or a name. */
  private smsArn(identity: string, type?: 'configuration-set'): string {
    if (identity.startsWith('arn:')) return identity;
    const resource =
      type ??
      (identity.startsWith('pool-') ? 'pool' : identity.startsWith('phone-') ? 'phone-number' : undefined);
    if (resource === undefined) {
      throw new Error(`SMS origination identity "${identity}": give its ARN, or a phone-… or pool-… id`);
    }
    return this.formatArn({ service: 'sms-voice', resource, resourceName: identity });
  }
}

/** The log retention CloudWatch offers that keeps at least `days`. */
export function retentionDays(days: number): RetentionDays {
  const offered = Object.values(RetentionDays)
    .filter((d): d is RetentionDays => typeof d === 'number' && d > 0)
    .sort((a, b) => a - b);
  const kept = offered.find((d) => d >= days);
  if (kept === undefined) throw new Error(`logRetentionDays ${days}: at most ${offered.at(-1)}`);
  return kept;
}

/** cdk-nag's Lambda DLQ rules (NIST 800-53 and Serverless), answered by how the function is invoked. */
function lambdaDlqSuppressions(how: string): { id: string; reason: string }[] {
  const reason = `A Lambda dead-letter queue would hold failed asynchronous invocations: this function is ${how}.`;
  return [
    { id: 'NIST.800.53.R5-LambdaDLQ', reason },
    { id: 'Serverless-LambdaDLQ', reason },
  ];
}

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Stage } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AUTH_ENV,
  COMMON_ENV,
  FUNCTIONS,
  type FunctionSpec,
  KEYS_ENV,
  QUEUES,
  TABLE,
} from '../../infra/catalog.ts';
import { ROLES } from '../../shared/domain/actor.ts';
import { officersOnly, readsOfficerToken } from '../../shared/http/route.ts';
import { ROUTES } from '../../shared/http/routes/index.ts';
import {
  actionsOf,
  logicalId,
  NOTICE_SENDER,
  nagFindings,
  type PolicyStatementJson,
  prop,
  refersTo,
  resource,
  type Synthesized,
  statementsOfRole,
  synth,
} from './support.ts';

let dev: Synthesized;
let prodSynthesized: Synthesized | undefined;
/** The prod synth, made once and only if a test needs it. */
const prod = (): Synthesized => {
  prodSynthesized ??= synth('prod');
  return prodSynthesized;
};

beforeAll(() => {
  dev = synth('dev', { cloudFormationValidation: true });
});

function fnIds(name: string): { fn: string; role: string; logGroup: string } {
  const fn = dev.stack.functions.get(name);
  if (fn === undefined) throw new Error(`no function ${name}`);
  return {
    fn: logicalId(dev.stack, fn.function),
    role: logicalId(dev.stack, fn.role),
    logGroup: logicalId(dev.stack, fn.logGroup),
  };
}

function envOf(name: string): Record<string, unknown> {
  return prop<{ Variables: Record<string, unknown> }>(resource(dev.resources, fnIds(name).fn), 'Environment')
    .Variables;
}

/** Whether any of the function's routes reads an officer token. */
function needsAuth(spec: FunctionSpec): boolean {
  return spec.trigger.type === 'http' && spec.trigger.routes.some((r) => readsOfficerToken(r.access));
}

function queueIds(name: string): { queue: string; dlq: string; alarm: string } {
  const q = dev.stack.queues.get(name as (typeof QUEUES)[number]['name']);
  if (q === undefined) throw new Error(`no queue ${name}`);
  return {
    queue: logicalId(dev.stack, q.queue),
    dlq: logicalId(dev.stack, q.dlq),
    alarm: logicalId(dev.stack, q.dlqAlarm),
  };
}

describe('functions', () => {
  it('creates one Lambda function per catalog entry, and no other', () => {
    // Prepare / Act: the synthesized template
    // Assess
    dev.template.resourceCountIs('AWS::Lambda::Function', FUNCTIONS.length);
    for (const spec of FUNCTIONS)
      expect(dev.resources[fnIds(spec.name).fn]?.Type).toBe('AWS::Lambda::Function');
  });

  it.each(FUNCTIONS.map((f) => [f.name, f] as const))(
    '%s: Node.js 22 on ARM64, traced, JSON logs into its own log group with a retention',
    (name) => {
      const ids = fnIds(name);
      const fn = resource(dev.resources, ids.fn);
      expect(prop(fn, 'Runtime')).toBe('nodejs22.x');
      expect(prop(fn, 'Architectures')).toEqual(['arm64']);
      expect(prop(fn, 'Handler')).toBe('index.handler');
      expect(prop(fn, 'TracingConfig')).toEqual({ Mode: 'Active' });
      expect(prop(fn, 'LoggingConfig')).toMatchObject({ LogFormat: 'JSON', LogGroup: { Ref: ids.logGroup } });
      expect(prop(resource(dev.resources, ids.logGroup), 'RetentionInDays')).toBe(365);
      const role = resource(dev.resources, ids.role);
      expect(prop(role, 'ManagedPolicyArns')).toBeUndefined();
      expect(refersTo(prop(fn, 'Role'), ids.role)).toBe(true);
    },
  );

  it.each(FUNCTIONS.map((f) => [f.name, f] as const))('%s: memory, timeout and environment', (name, spec) => {
    const fn = resource(dev.resources, fnIds(name).fn);
    const env = envOf(name);
    expect(prop<number>(fn, 'MemorySize')).toBe(
      spec.memorySize ?? (spec.trigger.type === 'http' ? 1024 : 512),
    );
    if (spec.timeoutSeconds !== undefined) expect(prop(fn, 'Timeout')).toBe(spec.timeoutSeconds);
    expect(env).toMatchObject({
      [COMMON_ENV.serviceName]: 'urna',
      POWERTOOLS_METRICS_NAMESPACE: 'Urna',
      LOG_LEVEL: 'INFO',
      ...(spec.table === undefined
        ? {}
        : { [COMMON_ENV.tableName]: { Ref: logicalId(dev.stack, dev.stack.table) } }),
    });
    for (const q of QUEUES) {
      const sends = spec.sendsTo?.includes(q.name) === true;
      const consumes = spec.trigger.type === 'queue' && spec.trigger.queue === q.name;
      expect(env[q.urlEnv] !== undefined, `${q.urlEnv}`).toBe(sends);
      expect(env[q.dlqUrlEnv] !== undefined, `${q.dlqUrlEnv}`).toBe(consumes);
    }
    // KMS keys by what the function needs; no key itself ever travels in the function configuration.
    expect(env[KEYS_ENV.receiptKeyId] !== undefined).toBe(spec.receipts !== undefined);
    expect(env[KEYS_ENV.pseudonymKeyIds] !== undefined).toBe(spec.pseudonyms === true);
    for (const local of [KEYS_ENV.receiptKey, KEYS_ENV.retiredReceiptKeys, KEYS_ENV.pseudonymKeys]) {
      expect(env[local]).toBeUndefined();
    }
    // Only the functions behind the JWT authorizer know the issuer and the client they accept.
    if (needsAuth(spec)) {
      expect(env[AUTH_ENV.issuer]).toEqual({
        'Fn::GetAtt': [logicalId(dev.stack, dev.stack.officerAuth.userPool), 'ProviderURL'],
      });
      expect(env[AUTH_ENV.clientId]).toEqual({ Ref: logicalId(dev.stack, dev.stack.officerAuth.client) });
    } else {
      expect(env[AUTH_ENV.issuer]).toBeUndefined();
      expect(env[AUTH_ENV.clientId]).toBeUndefined();
    }
  });

  it('gives every queue consumer a visibility timeout of at least 6× its timeout', () => {
    for (const spec of FUNCTIONS) {
      if (spec.trigger.type !== 'queue') continue;
      const { queue } = queueIds(spec.trigger.queue);
      const timeout = prop<number>(resource(dev.resources, fnIds(spec.name).fn), 'Timeout');
      expect(prop<number>(resource(dev.resources, queue), 'VisibilityTimeout')).toBeGreaterThanOrEqual(
        6 * timeout,
      );
    }
  });
});

describe('HTTP API', () => {
  const routes = FUNCTIONS.flatMap((spec) =>
    spec.trigger.type === 'http'
      ? spec.trigger.routes.map((r) => [`${r.method} ${r.path}`, spec.name] as const)
      : [],
  );
  const authRoutes = ROUTES.filter((r) => officersOnly(r.access)).map((r) => `${r.method} ${r.path}`);
  const publicRoutes = ROUTES.filter((r) => !officersOnly(r.access)).map(
    (r) => [`${r.method} ${r.path}`, r.access.public ?? ''] as const,
  );
  const routeByKey = (routeKey: string) => {
    const route = Object.values(dev.resources).find(
      (r) => r.Type === 'AWS::ApiGatewayV2::Route' && prop(r, 'RouteKey') === routeKey,
    );
    if (route === undefined) throw new Error(`no route ${routeKey}`);
    return route;
  };

  it('has exactly the declared routes, each served by the function its declaration names, and $default', () => {
    dev.template.resourceCountIs('AWS::ApiGatewayV2::Route', routes.length + 1);
    expect(routes.map(([key, fn]) => `${key} ${fn}`).sort()).toEqual(
      ROUTES.map((r) => `${r.method} ${r.path} ${r.fn}`).sort(),
    );
  });

  it('sends what no declared route takes ($default) to the function that answers 404/405 problems', () => {
    const route = routeByKey('$default');
    expect(prop(route, 'AuthorizationType')).toBe('NONE');
    const target = JSON.stringify(prop(route, 'Target'));
    const [, integration] =
      Object.entries(dev.resources).find(
        ([id, r]) => r.Type === 'AWS::ApiGatewayV2::Integration' && target.includes(id),
      ) ?? [];
    expect(refersTo(prop(integration ?? { Type: '' }, 'IntegrationUri'), fnIds('OpenApi').fn)).toBe(true);
  });

  it.each(routes)('%s → %s', (routeKey, name) => {
    const [routeId, route] =
      Object.entries(dev.resources).find(
        ([, r]) => r.Type === 'AWS::ApiGatewayV2::Route' && prop(r, 'RouteKey') === routeKey,
      ) ?? [];
    expect(routeId, `route ${routeKey}`).toBeDefined();
    const target = JSON.stringify(prop(route ?? { Type: '' }, 'Target'));
    const [integrationId, integration] =
      Object.entries(dev.resources).find(
        ([id, r]) => r.Type === 'AWS::ApiGatewayV2::Integration' && target.includes(id),
      ) ?? [];
    expect(integrationId).toBeDefined();
    expect(prop(integration ?? { Type: '' }, 'IntegrationType')).toBe('AWS_PROXY');
    expect(prop(integration ?? { Type: '' }, 'PayloadFormatVersion')).toBe('2.0');
    expect(refersTo(prop(integration ?? { Type: '' }, 'IntegrationUri'), fnIds(name).fn)).toBe(true);
  });

  it('logs access, throttles the default stage and allows CORS for GET and POST', () => {
    dev.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
    });
    dev.template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: { AllowMethods: Match.arrayWith(['GET', 'POST']) },
    });
  });

  it('justifies every route without an authorizer, in its declaration', () => {
    for (const [key, why] of publicRoutes) expect(why.length, key).toBeGreaterThan(40);
  });

  it('puts the officer inbox behind the JWT authorizer', () => {
    expect(authRoutes).toContain('GET /v1/inbox');
  });

  it('has one JWT authorizer: the Cognito pool as issuer, the officers web client as audience', () => {
    const pool = logicalId(dev.stack, dev.stack.officerAuth.userPool);
    const client = logicalId(dev.stack, dev.stack.officerAuth.client);
    dev.template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    dev.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: client }],
        Issuer: Match.anyValue(),
      },
    });
    const authorizer = Object.values(dev.resources).find((r) => r.Type === 'AWS::ApiGatewayV2::Authorizer');
    expect(JSON.stringify(prop(authorizer ?? { Type: '' }, 'JwtConfiguration'))).toContain(
      `"Fn::GetAtt":["${pool}","ProviderURL"]`,
    );
  });

  it.each(authRoutes)('%s: JWT authorizer, no APIG4 suppression', (routeKey) => {
    const route = routeByKey(routeKey);
    expect(prop(route, 'AuthorizationType')).toBe('JWT');
    const [authorizerId] =
      Object.entries(dev.resources).find(([, r]) => r.Type === 'AWS::ApiGatewayV2::Authorizer') ?? [];
    expect(prop(route, 'AuthorizerId')).toEqual({ Ref: authorizerId });
    expect(JSON.stringify(route.Metadata ?? {})).not.toContain('AwsSolutions-APIG4');
  });

  it.each(publicRoutes)('%s: public, no authorizer, its reason given to cdk-nag', (routeKey, why) => {
    const route = routeByKey(routeKey);
    expect(prop(route, 'AuthorizationType')).toBe('NONE');
    expect(prop(route, 'AuthorizerId')).toBeUndefined();
    expect(JSON.stringify(route.Metadata ?? {})).toContain(JSON.stringify(why).slice(1, 40));
  });
});

describe('queues', () => {
  it.each(QUEUES.map((q) => [q.name, q] as const))(
    '%s: encrypted, SSL only, 1 MiB messages, with a DLQ kept 14 days and an alarm on it',
    (name, spec) => {
      const ids = queueIds(name);
      const queue = resource(dev.resources, ids.queue);
      const dlq = resource(dev.resources, ids.dlq);
      expect(prop(queue, 'VisibilityTimeout')).toBe(spec.visibilityTimeout);
      expect(prop(queue, 'RedrivePolicy')).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [ids.dlq, 'Arn'] },
        maxReceiveCount: spec.maxReceiveCount,
      });
      expect(prop(dlq, 'MessageRetentionPeriod')).toBe(14 * 24 * 3600);
      // The stack's customer managed data key (test/infra/dataProtection.test.ts checks the key).
      for (const q of [queue, dlq]) {
        expect(prop(q, 'KmsMasterKeyId')).toEqual({
          'Fn::GetAtt': [logicalId(dev.stack, dev.stack.dataKey), 'Arn'],
        });
      }
      // The largest comment, escaped (shared/adapters/sqs/queue.ts messageBody), fits both.
      for (const q of [queue, dlq]) expect(prop(q, 'MaximumMessageSize')).toBe(1_048_576);
      for (const id of [ids.queue, ids.dlq]) {
        dev.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
          Queues: [{ Ref: id }],
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            ]),
          },
        });
      }
      const alarm = resource(dev.resources, ids.alarm);
      expect(alarm.Properties).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [ids.dlq, 'QueueName'] } }],
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: [{ Ref: logicalId(dev.stack, dev.stack.alarmTopic) }],
      });
    },
  );

  it('alarms go to a KMS-encrypted topic whose ARN is an output', () => {
    const topicId = logicalId(dev.stack, dev.stack.alarmTopic);
    expect(prop(resource(dev.resources, topicId), 'KmsMasterKeyId')).toBeDefined();
    dev.template.hasOutput('AlarmTopicArn', { Value: { Ref: topicId } });
  });

  it('feeds each consumer from its queue with partial batch failures', () => {
    const consumers = FUNCTIONS.filter((f) => f.trigger.type === 'queue');
    dev.template.resourceCountIs('AWS::Lambda::EventSourceMapping', consumers.length);
    for (const spec of consumers) {
      if (spec.trigger.type !== 'queue') continue;
      dev.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: fnIds(spec.name).fn },
        EventSourceArn: { 'Fn::GetAtt': [queueIds(spec.trigger.queue).queue, 'Arn'] },
        BatchSize: spec.trigger.batchSize,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ...(spec.trigger.maxBatchingWindowSeconds === undefined
          ? {}
          : { MaximumBatchingWindowInSeconds: spec.trigger.maxBatchingWindowSeconds }),
      });
    }
  });

  it('runs each scheduled function on its rate (Scheduler: retries, then an alarmed DLQ), one run at a time', () => {
    for (const spec of FUNCTIONS) {
      if (spec.trigger.type !== 'schedule') continue;
      dev.template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: `rate(${spec.trigger.everyMinutes} minutes)`,
        State: 'ENABLED',
        Target: Match.objectLike({
          Arn: { 'Fn::GetAtt': [fnIds(spec.name).fn, 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: spec.trigger.everyMinutes * 60 },
          DeadLetterConfig: { Arn: Match.anyValue() },
        }),
      });
      expect(
        prop(resource(dev.resources, fnIds(spec.name).fn), 'ReservedConcurrentExecutions'),
        spec.name,
      ).toBe(1);
    }
    // No EventBridge schedule rule: every schedule is a Scheduler schedule (rules carry events only).
    const rules = Object.values(dev.resources).filter((r) => r.Type === 'AWS::Events::Rule');
    expect(rules.filter((r) => prop(r, 'ScheduleExpression') !== undefined)).toEqual([]);
  });

  it('reserves room for FileCase and keeps Notify under the SES send rate', () => {
    expect(prop(resource(dev.resources, fnIds('FileCase').fn), 'ReservedConcurrentExecutions')).toBe(20);
    // An account still at the new-account quota deploys with none reserved for FileCase.
    const small = synth('dev', { context: { fileCaseConcurrency: '0' } });
    const fileCase = Object.entries(small.resources).find(
      ([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith('FileCaseFunction'),
    )?.[1];
    expect(fileCase).toBeDefined();
    expect(fileCase?.Properties?.ReservedConcurrentExecutions).toBeUndefined();
    const notify = FUNCTIONS.find((f) => f.name === 'Notify');
    if (notify?.trigger.type !== 'queue') throw new Error('Notify is a queue consumer');
    dev.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: fnIds('Notify').fn },
      ScalingConfig: { MaximumConcurrency: 2 },
    });
  });
});

describe('table', () => {
  it('is on-demand, point-in-time recoverable, encrypted, with TTL and its GSIs as the catalog says', () => {
    const table = resource(dev.resources, logicalId(dev.stack, dev.stack.table));
    expect(table.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      TimeToLiveSpecification: { AttributeName: TABLE.timeToLiveAttribute, Enabled: true },
      KeySchema: [
        { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
      ],
    });
    expect(prop(table, 'StreamSpecification')).toEqual({ StreamViewType: 'NEW_IMAGE' });
    expect(prop(table, 'GlobalSecondaryIndexes')).toEqual(
      TABLE.indexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection:
          index.projection.type === 'INCLUDE'
            ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projection.attributes] }
            : { ProjectionType: 'KEYS_ONLY' },
      })),
    );
    // Outside prod a stack can be torn down with its data.
    expect(table.DeletionPolicy).toBe('Delete');
    expect(prop(table, 'DeletionProtectionEnabled')).toBe(false);
  });

  it('has lean indexes: none projects ALL, within the 100 projected attributes DynamoDB allows', () => {
    // A case (~1.8 KB) written again into each index it is on, at each write: docs/adr/0020.
    const table = resource(dev.resources, logicalId(dev.stack, dev.stack.table));
    const indexes = prop(table, 'GlobalSecondaryIndexes') as {
      Projection: { ProjectionType: string; NonKeyAttributes?: string[] };
    }[];
    expect(indexes).toHaveLength(TABLE.indexes.length);
    for (const { Projection } of indexes) expect(Projection.ProjectionType).not.toBe('ALL');
    const projected = indexes.flatMap((i) => i.Projection.NonKeyAttributes ?? []);
    expect(projected.length).toBeLessThanOrEqual(100);
    // Never a big attribute: a case's description, a comment's text, a consultation's sections.
    for (const big of ['text', 'description', 'sections', 'petitioner', 'answer', 'documents'])
      expect(projected, big).not.toContain(big);
  });

  it('is protected from deletion and retained in prod', () => {
    const { resources, stack } = prod();
    const table = resource(resources, logicalId(stack, stack.table));
    expect(prop(table, 'DeletionProtectionEnabled')).toBe(true);
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
    expect(stack.stackName).toBe('urna-prod');
    expect(Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual(
      [],
    );
  });

  it('outputs the API URL, the table name and every queue URL', () => {
    const outputs = Object.keys(dev.template.toJSON().Outputs as Record<string, unknown>);
    expect(outputs).toEqual(
      expect.arrayContaining([
        'ApiUrl',
        'TableName',
        'OfficerUserPoolId',
        'OfficerWebClientId',
        'AuthIssuer',
        'ReceiptKeyArn',
        ...QUEUES.flatMap((q) => {
          const id = q.name.charAt(0).toUpperCase() + q.name.slice(1);
          return [`${id}QueueUrl`, `${id}DlqUrl`];
        }),
      ]),
    );
  });
});

describe('officer identities (Cognito)', () => {
  const pool = () => resource(dev.resources, logicalId(dev.stack, dev.stack.officerAuth.userPool));
  const client = () => resource(dev.resources, logicalId(dev.stack, dev.stack.officerAuth.client));

  it('has one user pool where only administrators create users', () => {
    dev.template.resourceCountIs('AWS::Cognito::UserPool', 1);
    expect(prop(pool(), 'AdminCreateUserConfig')).toMatchObject({ AllowAdminCreateUserOnly: true });
    expect(prop(pool(), 'UsernameAttributes')).toEqual(['email']);
  });

  it('requires a strong password and TOTP MFA, with threat protection enforced', () => {
    const policy = prop<{ PasswordPolicy: Record<string, unknown> }>(pool(), 'Policies').PasswordPolicy;
    expect(policy).toMatchObject({
      RequireLowercase: true,
      RequireUppercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
    });
    expect(policy.MinimumLength as number).toBeGreaterThanOrEqual(12);
    expect(prop(pool(), 'MfaConfiguration')).toBe('ON');
    expect(prop(pool(), 'EnabledMfas')).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(prop(pool(), 'UserPoolTier')).toBe('PLUS');
    expect(prop(pool(), 'UserPoolAddOns')).toEqual({ AdvancedSecurityMode: 'ENFORCED' });
  });

  it('creates the four role groups (entity and office groups are data)', () => {
    const groups = Object.values(dev.resources)
      .filter((r) => r.Type === 'AWS::Cognito::UserPoolGroup')
      .map((r) => prop<string>(r, 'GroupName'))
      .sort();
    expect(groups).toEqual(ROLES.map((r) => `role:${r}`).sort());
  });

  it("gives the officers' web app a public client: SRP and refresh only, no OAuth, short tokens", () => {
    dev.template.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
    expect(client().Properties).toMatchObject({
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      AllowedOAuthFlowsUserPoolClient: false,
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
      AccessTokenValidity: 60,
      TokenValidityUnits: { AccessToken: 'minutes' },
      WriteAttributes: [],
    });
  });

  it('keeps the pool in prod, deletion-protected', () => {
    const { resources, stack } = prod();
    const prodPool = resource(resources, logicalId(stack, stack.officerAuth.userPool));
    expect(prodPool.DeletionPolicy).toBe('Retain');
    expect(prop(prodPool, 'DeletionProtection')).toBe('ACTIVE');
    expect(pool().DeletionPolicy).toBe('Delete');
  });
});

/** An SES ARN in this stack's account and region: `resource`, then any further parts. */
const sesArn = (resource: string, ...rest: unknown[]) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':ses:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      `:${resource}`,
      ...rest,
    ],
  ],
});
const noticeSetId = () =>
  Object.entries(dev.resources).find(([, r]) => r.Type === 'AWS::SES::ConfigurationSet')?.[0] ?? 'none';

describe('least privilege', () => {
  const WRITE = ['dynamodb:PutItem', 'dynamodb:UpdateItem'];
  const allowed = (statements: PolicyStatementJson[]): string[] =>
    statements.filter((s) => s.Effect === 'Allow').flatMap(actionsOf);

  it.each(FUNCTIONS.map((f) => [f.name, f] as const))('%s gets only what the catalog says', (name, spec) => {
    const ids = fnIds(name);
    const statements = statementsOfRole(dev.resources, ids.role);
    const actions = allowed(statements);
    if (spec.table === undefined) {
      // Reads nothing of the table: no permission on it, not even its name.
      expect(actions.filter((a) => a.startsWith('dynamodb:'))).toEqual([]);
      expect(envOf(name).TABLE_NAME).toBeUndefined();
    } else {
      expect(actions).toEqual(expect.arrayContaining(['dynamodb:Query']));
    }
    // Nothing deletes an item (TTL expires them): no role may, audit events included; only the
    // function that batch-writes may BatchWriteItem (which could delete too).
    expect(actions).not.toContain('dynamodb:DeleteItem');
    expect(actions.includes('dynamodb:BatchWriteItem')).toBe(spec.batchWrites === true);
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions.some((a) => a === '*' || a.endsWith(':*'))).toBe(false);
    const writes = (spec.table?.writes ?? []).some((f) => f !== 'audit');
    for (const write of WRITE) expect(actions.includes(write), write).toBe(writes);
    expect(actions.filter((a) => a.startsWith('secretsmanager:'))).toEqual([]);
    expect(actions.includes('kms:Sign')).toBe(spec.receipts === 'sign');
    expect(actions.includes('kms:GenerateMac')).toBe(spec.pseudonyms === true);
    // Notices: SES from the configured sender only, and the officers' groups as the directory.
    const ses = statements.filter((st) => actionsOf(st).some((a) => a.startsWith('ses:')));
    const cognito = statements.filter((st) => actionsOf(st).some((a) => a.startsWith('cognito-idp:')));
    if (spec.notifies === true) {
      expect(ses).toEqual([
        {
          Effect: 'Allow',
          Action: 'ses:SendEmail',
          Resource: [
            ...[NOTICE_SENDER, NOTICE_SENDER.split('@')[1]].map((identity) => sesArn(`identity/${identity}`)),
            sesArn('configuration-set/', { Ref: noticeSetId() }),
          ],
          Condition: { StringEquals: { 'ses:FromAddress': NOTICE_SENDER } },
        },
      ]);
      expect(cognito).toEqual([
        {
          Effect: 'Allow',
          Action: ['cognito-idp:ListUsers', 'cognito-idp:ListUsersInGroup'],
          Resource: { 'Fn::GetAtt': [logicalId(dev.stack, dev.stack.officerAuth.userPool), 'Arn'] },
        },
      ]);
      expect(envOf(name)).toMatchObject({
        NOTIFIER: 'ses',
        NOTICE_SENDER,
        NOTICE_CONFIGURATION_SET: { Ref: noticeSetId() },
        OFFICER_USER_POOL_ID: { Ref: logicalId(dev.stack, dev.stack.officerAuth.userPool) },
      });
    } else {
      expect(ses).toEqual([]);
      expect(cognito).toEqual([]);
      expect(envOf(name).NOTICE_SENDER).toBeUndefined();
    }
    // No SMS sender in this deployment's context: no SMS permission nor environment.
    expect(actions.filter((a) => a.startsWith('sms-voice:'))).toEqual([]);
    expect(envOf(name).SMS_ORIGINATION_IDENTITY).toBeUndefined();

    const sendTargets = statements
      .filter((s) => actionsOf(s).includes('sqs:SendMessage'))
      .map((s) => JSON.stringify(s.Resource));
    const expected = [
      ...(spec.sendsTo ?? []).map((q) => queueIds(q).queue),
      ...(spec.trigger.type === 'queue' ? [queueIds(spec.trigger.queue).dlq] : []),
    ];
    expect(sendTargets.length).toBe(expected.length);
    for (const id of expected)
      expect(
        sendTargets.some((t) => t.includes(`"${id}"`)),
        id,
      ).toBe(true);
  });

  it('a read-only function cannot write the table', () => {
    const readOnly = FUNCTIONS.filter((f) => (f.table?.writes ?? []).length === 0);
    expect(readOnly.length).toBeGreaterThan(0);
    for (const spec of readOnly) {
      expect(allowed(statementsOfRole(dev.resources, fnIds(spec.name).role))).not.toContain(
        'dynamodb:PutItem',
      );
    }
  });

  it('grants "*" resources only for X-Ray (no resource-level permissions) and documents by prefix', () => {
    const wildcard = Object.values(dev.resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy')
      .flatMap((r) => prop<{ Statement: PolicyStatementJson[] }>(r, 'PolicyDocument').Statement)
      .filter((s) => JSON.stringify(s.Resource).includes('*'));
    expect(wildcard.length).toBeGreaterThan(0);
    for (const s of wildcard) {
      if (s.Resource === '*') {
        expect(actionsOf(s).sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
        continue;
      }
      // A schedule's role invokes its function (and its versions, `<arn>:*`), nothing else.
      if (actionsOf(s).every((a) => a === 'lambda:InvokeFunction')) {
        expect(JSON.stringify(s.Resource)).toMatch(
          /^\[\{"Fn::GetAtt":\["(Sweep|Publish)Function\w+","Arn"\]\}/,
        );
        continue;
      }
      // The documents bucket's objects, by prefix: uploads/* and documents/* (DocumentsBucket grants).
      expect(JSON.stringify(s.Resource)).toMatch(/\/(uploads|documents)\/\*/);
      expect(actionsOf(s).every((a) => a.startsWith('s3:'))).toBe(true);
    }
  });
});

describe('delivery reports (issue 14 point 11)', () => {
  const rulesOf = (resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>) =>
    Object.values(resources).filter((r) => r.Type === 'AWS::Events::Rule');

  it("sends the notice configuration set's deliveries, bounces and rejects to the default bus", () => {
    const destinations = Object.values(dev.resources).filter(
      (r) => r.Type === 'AWS::SES::ConfigurationSetEventDestination',
    );
    expect(destinations).toHaveLength(1);
    const destination = prop<Record<string, unknown>>(destinations[0]!, 'EventDestination');
    expect(destination).toMatchObject({ Enabled: true });
    expect([...(destination.MatchingEventTypes as string[])].sort()).toEqual([
      'bounce',
      'delivery',
      'reject',
    ]);
    expect(JSON.stringify(destination.EventBridgeDestination)).toContain('event-bus/default');
    expect(prop(destinations[0]!, 'ConfigurationSetName')).toEqual({ Ref: noticeSetId() });
  });

  it("puts only petitioners' email reports of that set on the deliveries queue, dead-lettered when it cannot", () => {
    const ids = queueIds('deliveries');
    const rules = rulesOf(dev.resources);
    expect(rules).toHaveLength(1);
    expect(prop(rules[0]!, 'EventPattern')).toEqual({
      source: ['aws.ses'],
      'detail-type': ['Email Delivered', 'Email Bounced', 'Email Rejected'],
      detail: {
        mail: { tags: { 'ses:configuration-set': [{ Ref: noticeSetId() }], radicado: [{ exists: true }] } },
      },
    });
    expect(prop(rules[0]!, 'Targets')).toEqual([
      expect.objectContaining({
        Arn: { 'Fn::GetAtt': [ids.queue, 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [ids.dlq, 'Arn'] } },
      }),
    ]);
    // EventBridge may send to the queue (its policy), and nobody else is let in.
    const policies = Object.values(dev.resources).filter(
      (r) => r.Type === 'AWS::SQS::QueuePolicy' && JSON.stringify(prop(r, 'Queues')).includes(ids.queue),
    );
    const allows = policies.flatMap((p) =>
      prop<{ Statement: PolicyStatementJson[] }>(p, 'PolicyDocument').Statement.filter(
        (st) => st.Effect === 'Allow',
      ),
    );
    expect(allows.map((st) => JSON.stringify(st.Principal))).toEqual(['{"Service":"events.amazonaws.com"}']);
  });

  it('reads SMS delivery events too when SMS is configured, and nothing without a sender', () => {
    const withSms = synth('dev', {
      context: { smsOriginationIdentity: 'pool-0123456789abcdef0123456789abcdef' },
    });
    expect(rulesOf(withSms.resources).map((r) => prop(r, 'EventPattern'))).toContainEqual({
      source: ['aws.sms-voice'],
      'detail-type': ['Text Message Delivery Status Updated'],
    });
    const noSender = synth('dev', { context: { noticeSender: undefined } });
    expect(rulesOf(noSender.resources)).toEqual([]);
  });

  it('lets the consumer write notice marks and send to the notifications queue only', () => {
    const spec = FUNCTIONS.find((f) => f.name === 'NoticeDeliveries');
    expect(spec).toMatchObject({
      trigger: { type: 'queue', queue: 'deliveries' },
      sendsTo: ['notifications'],
    });
    expect(spec?.notifies).toBeUndefined();
    expect(spec?.receipts).toBeUndefined();
    expect(spec?.pseudonyms).toBeUndefined();
  });
});

describe('SMS notices (End User Messaging), when the context names an origination identity', () => {
  const POOL = 'pool-0123456789abcdef0123456789abcdef';
  let sms: Synthesized;
  beforeAll(() => {
    sms = synth('dev', { context: { smsOriginationIdentity: POOL, smsConfigurationSet: 'urna-sms' } });
  });
  const arn = (resource: string) => ({
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        ':sms-voice:',
        { Ref: 'AWS::Region' },
        ':',
        { Ref: 'AWS::AccountId' },
        `:${resource}`,
      ],
    ],
  });

  it('lets only the notifying functions send SMS, from that identity and configuration set', () => {
    for (const spec of FUNCTIONS) {
      const fn = sms.stack.functions.get(spec.name);
      if (fn === undefined) throw new Error(`no function ${spec.name}`);
      const statements = statementsOfRole(sms.resources, logicalId(sms.stack, fn.role)).filter((st) =>
        actionsOf(st).some((a) => a.startsWith('sms-voice:')),
      );
      const env = prop<{ Variables: Record<string, unknown> }>(
        resource(sms.resources, logicalId(sms.stack, fn.function)),
        'Environment',
      ).Variables;
      if (spec.notifies === true) {
        expect(statements, spec.name).toEqual([
          {
            Effect: 'Allow',
            Action: 'sms-voice:SendTextMessage',
            Resource: [arn(`pool/${POOL}`), arn('configuration-set/urna-sms')],
          },
        ]);
        expect(env).toMatchObject({ SMS_ORIGINATION_IDENTITY: POOL, SMS_CONFIGURATION_SET: 'urna-sms' });
        expect(JSON.stringify(env.TRACKING_URL)).toContain('v1/cases/{radicado}');
      } else {
        expect(statements, spec.name).toEqual([]);
        expect(env.SMS_ORIGINATION_IDENTITY, spec.name).toBeUndefined();
      }
    }
  });

  it('refuses an origination identity it cannot turn into an ARN', () => {
    expect(() => synth('dev', { context: { smsOriginationIdentity: '+573001234567' } })).toThrow(
      'smsOriginationIdentity',
    );
  });
});

describe('CloudFormation', () => {
  it("passes CDK's built-in schema validation of the template", () => {
    const outdir = (dev.stack.node.root as Stage).outdir;
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: { violations?: { ruleName: string; description: string }[] }[];
    };
    const violations = report.pluginReports.flatMap((r) =>
      (r.violations ?? []).map((v) => `${v.ruleName}: ${v.description}`),
    );
    expect(violations).toEqual([]);
  });
});

describe('cdk-nag AwsSolutions, NIST 800-53 R5 and Serverless', () => {
  it.each(['AwsSolutions', 'NIST.800.53.R5', 'Serverless'])(
    '%s: no unsuppressed error or warning',
    (pack) => {
      expect(nagFindings(dev.stack, [pack])).toEqual([]);
    },
  );

  it('suppresses only the reviewed rules, each with a specific reason', () => {
    const suppressions = Object.values(dev.resources).flatMap((r) => {
      const nag = (r.Metadata?.cdk_nag ?? { rules_to_suppress: [] }) as {
        rules_to_suppress: { id: string; reason: string }[];
      };
      return nag.rules_to_suppress;
    });
    const ids = new Set(suppressions.map((s) => s.id));
    expect([...ids].sort()).toEqual([
      'AwsSolutions-APIG4',
      'AwsSolutions-IAM5',
      // Signing and HMAC keys rotate by version, not by KMS (constructs/Keys.ts).
      'AwsSolutions-KMS5',
      'AwsSolutions-L1',
      // The documents bucket's access-log bucket cannot log to itself.
      'AwsSolutions-S1',
      'AwsSolutions-SQS3',
      // A throwaway stage (this dev synth) has no backup plan; prod has one.
      'NIST.800.53.R5-DynamoDBInBackupPlan',
      // Each role is one function's or one pipe's alone.
      'NIST.800.53.R5-IAMNoInlinePolicy',
      'NIST.800.53.R5-LambdaConcurrency',
      // Synchronous invocations (API, SQS, pipes) or schedule ticks: nothing for a Lambda DLQ.
      'NIST.800.53.R5-LambdaDLQ',
      'NIST.800.53.R5-LambdaInsideVPC',
      // The documents stay in the region the deployment names; access logs can only be SSE-S3.
      'NIST.800.53.R5-S3BucketReplicationEnabled',
      'NIST.800.53.R5-S3BucketVersioningEnabled',
      'NIST.800.53.R5-S3DefaultEncryptionKMS',
      'Serverless-LambdaAsyncFailureDestination',
      'Serverless-LambdaDLQ',
      // SQS event sources take no on-failure destination: the queue's redrive policy is it.
      'Serverless-LambdaEventSourceMappingDestination',
      'Serverless-LambdaLatestVersion',
      // Dead-letter queues themselves.
      'Serverless-SQSRedrivePolicy',
    ]);
    for (const s of suppressions) expect(s.reason.length, s.id).toBeGreaterThan(60);
  });
});

/**
 * Alarms that reach someone (issue 16): every quiet failure has an alarm on the alarm topic —
 * each function's errors and throttles, each schedule's heartbeat, the API's 5xx, p99 and 503s,
 * the table's and each index's throttles, each queue's oldest message — one dashboard, an
 * e-mail subscription from configuration, and the notices' SES configuration set.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS, QUEUES, TABLE } from '#infra/catalog.ts';
import { API_P99_MS, OLDEST_MESSAGE_MINUTES } from '#infra/constructs/Operations.ts';
import { logicalId, type Synthesized, synth } from './support.ts';

let dev: Synthesized;
beforeAll(() => {
  dev = synth('dev', { context: { alarmEmail: 'ops@entidad.gov.co' } });
});

type Props = Record<string, unknown>;
const alarms = (): Props[] =>
  Object.values(dev.resources)
    .filter((r) => r.Type === 'AWS::CloudWatch::Alarm')
    .map((r) => r.Properties as Props);
const topic = () => ({ Ref: logicalId(dev.stack, dev.stack.alarmTopic) });
const fnRef = (name: string) => ({ Ref: logicalId(dev.stack, dev.stack.functions.get(name)!.function) });
const on = (metric: string, dimension: unknown) =>
  alarms().filter(
    (a) => a.MetricName === metric && JSON.stringify(a.Dimensions ?? []).includes(JSON.stringify(dimension)),
  );

describe('alarms', () => {
  it('every alarm notifies the topic when it fires and when it clears', () => {
    expect(alarms().length).toBeGreaterThan(2 * FUNCTIONS.length);
    for (const a of alarms()) {
      expect(a.AlarmActions, String(a.AlarmDescription)).toEqual([topic()]);
      expect(a.OKActions, String(a.AlarmDescription)).toEqual([topic()]);
    }
  });

  it.each(FUNCTIONS.map((f) => [f.name, f] as const))('%s: errors and throttles', (name, spec) => {
    for (const metric of ['Errors', 'Throttles']) {
      const [alarm] = on(metric, fnRef(name));
      expect(alarm, `${name} ${metric}`).toMatchObject({
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
      });
    }
    const heartbeat = on('Invocations', fnRef(name));
    if (spec.trigger.type === 'schedule') {
      expect(heartbeat[0]).toMatchObject({
        Threshold: 1,
        ComparisonOperator: 'LessThanThreshold',
        TreatMissingData: 'breaching',
        Period: 3 * spec.trigger.everyMinutes * 60,
      });
    } else {
      expect(heartbeat).toEqual([]);
    }
  });

  it.each(QUEUES.map((q) => [q.name] as const))('the %s queue: its oldest message', (name) => {
    const queue = dev.stack.queues.get(name as never)!.queue;
    const [alarm] = on('ApproximateAgeOfOldestMessage', {
      'Fn::GetAtt': [logicalId(dev.stack, queue), 'QueueName'],
    });
    expect(alarm).toMatchObject({ Threshold: OLDEST_MESSAGE_MINUTES * 60, Statistic: 'Maximum' });
  });

  it('the API: any 5xx, p99 latency, 503s from a failing dependency, bugs', () => {
    const api = { Ref: logicalId(dev.stack, dev.stack.api) };
    expect(on('5xx', api)[0]).toMatchObject({ Threshold: 0 });
    expect(on('Latency', api)[0]).toMatchObject({
      Threshold: API_P99_MS,
      ExtendedStatistic: 'p99',
      EvaluationPeriods: 3,
    });
    expect(on('DependencyUnavailable', { Name: 'service', Value: 'urna' })[0]).toMatchObject({
      Namespace: 'Urna',
    });
    expect(on('UnexpectedError', { Name: 'service', Value: 'urna' })[0]).toMatchObject({ Threshold: 0 });
  });

  it('the table and each index: throttled reads and writes', () => {
    const expressions = alarms().filter((a) => Array.isArray(a.Metrics));
    const text = expressions.map((a) => JSON.stringify(a.Metrics));
    expect(
      text.some((t) => t.includes('WriteThrottleEvents') && !t.includes('GlobalSecondaryIndexName')),
    ).toBe(true);
    for (const index of TABLE.indexes) {
      expect(
        text.some((t) => t.includes(`"Value":"${index.name}"`) && t.includes('ReadThrottleEvents')),
        index.name,
      ).toBe(true);
    }
  });

  it('subscribes the configured address; one dashboard', () => {
    dev.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@entidad.gov.co',
      TopicArn: topic(),
    });
    dev.template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    dev.template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'urna-dev' });
  });

  it('sends notices with a configuration set that suppresses bounces and complaints, alarmed on reputation', () => {
    dev.template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      SuppressionOptions: { SuppressedReasons: Match.arrayWith(['BOUNCE', 'COMPLAINT']) },
      ReputationOptions: { ReputationMetricsEnabled: true },
    });
    const names = alarms().map((a) => a.MetricName);
    expect(names).toEqual(expect.arrayContaining(['Reputation.BounceRate', 'Reputation.ComplaintRate']));
  });
});

describe('data kept: an explicit setting, backups, a pinned region', () => {
  it('retain (the default) backs the table up daily (35 days) and monthly (365); retain=false keeps nothing', () => {
    const kept = synth('prod');
    kept.template.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanRule: Match.arrayWith([
          Match.objectLike({ RuleName: 'Daily', Lifecycle: { DeleteAfterDays: 35 } }),
          Match.objectLike({ RuleName: 'Monthly', Lifecycle: { DeleteAfterDays: 365 } }),
        ]),
      },
    });
    kept.template.hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: true });
    dev.template.resourceCountIs('AWS::Backup::BackupPlan', 0);
    // A stage named otherwise keeps its data too: the setting decides, never the name.
    const staging = synth('staging', {
      context: { retain: 'true', region: 'sa-east-1', corsOrigins: 'https://portal.example.gov.co' },
    });
    staging.template.hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: true });
  });

  it('refuses to keep data without naming the region it lives in, or with CORS open to any origin', () => {
    const cors = { corsOrigins: 'https://portal.example.gov.co' };
    expect(() => synth('staging', { context: { retain: 'true', region: '', ...cors } })).toThrow(
      /says where it lives/,
    );
    for (const corsOrigins of ['', '*', 'https://a.gov.co,*']) {
      expect(() =>
        synth('staging', { context: { retain: 'true', region: 'sa-east-1', corsOrigins } }),
      ).toThrow(/names the portals/);
    }
  });

  it('gives each route anyone may write to its own lower throttle; reads keep the stage default', () => {
    const stage = Object.values(dev.resources).find((r) => r.Type === 'AWS::ApiGatewayV2::Stage')!;
    const settings = (stage.Properties as { RouteSettings: Record<string, unknown> }).RouteSettings;
    for (const key of ['POST /v1/cases', 'POST /v1/public/consultations/{id}/comments', 'POST /v1/uploads']) {
      expect(settings[key], key).toEqual({ ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 });
    }
    expect(settings['GET /v1/public/entities']).toBeUndefined();
    expect(settings['POST /v1/cases/{radicado}/actions']).toBeUndefined(); // officers only
    expect((stage.Properties as { DefaultRouteSettings: unknown }).DefaultRouteSettings).toMatchObject({
      ThrottlingRateLimit: 50,
      ThrottlingBurstLimit: 100,
    });
  });
});

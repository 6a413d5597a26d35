/**
 * What an operator watches: an alarm for every way the system can fail quietly, all on the alarm
 * topic, and one dashboard. Thresholds are stated where they are made; a failing Sweep, a queue
 * that stops draining or a table that throttles reaches someone within minutes.
 */
import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IAlarmAction,
  type IMetric,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Minutes a message may wait in a queue before someone is told the consumer is not keeping up. */
export const OLDEST_MESSAGE_MINUTES = 15;
/** API p99 latency (ms), three 5-minute periods in a row. */
export const API_P99_MS = 3000;
/** Dependency failures answered 503 in 5 minutes (a blip is retried by clients; more is an outage). */
export const UNAVAILABLE_PER_5_MIN = 10;

export interface OperationsProps {
  readonly stage: string;
  readonly action: IAlarmAction;
  readonly api: HttpApi;
  readonly table: { readonly tableName: string };
  readonly indexNames: readonly string[];
  readonly functions: readonly { name: string; fn: IFunction; scheduleMinutes?: number }[];
  readonly queues: readonly { name: string; queue: IQueue }[];
  /** The application's metrics (Powertools EMF): namespace and its `service` dimension. */
  readonly metrics: { namespace: string; service: string };
}

const FIVE_MINUTES = Duration.minutes(5);

export class Operations extends Construct {
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    const { stage } = props;
    const alarm = (
      alarmId: string,
      metric: IMetric,
      description: string,
      options: {
        threshold?: number;
        periods?: number;
        below?: boolean;
        missing?: TreatMissingData;
      } = {},
    ): Alarm => {
      const made = new Alarm(this, alarmId, {
        alarmDescription: `Urna ${stage}: ${description}`,
        metric,
        threshold: options.threshold ?? 0,
        evaluationPeriods: options.periods ?? 1,
        comparisonOperator: options.below
          ? ComparisonOperator.LESS_THAN_THRESHOLD
          : ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: options.missing ?? TreatMissingData.NOT_BREACHING,
      });
      made.addAlarmAction(props.action);
      made.addOkAction(props.action);
      this.alarms.push(made);
      return made;
    };
    const app = (metricName: string) =>
      new Metric({
        namespace: props.metrics.namespace,
        metricName,
        dimensionsMap: { service: props.metrics.service },
        statistic: 'Sum',
        period: FIVE_MINUTES,
      });

    // Functions: any error or throttle; each schedule's heartbeat (it ran in three of its periods).
    for (const { name, fn, scheduleMinutes } of props.functions) {
      alarm(`${name}Errors`, fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }), `${name} failed`);
      alarm(
        `${name}Throttles`,
        fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }),
        `${name} was throttled (concurrency limit reached)`,
      );
      if (scheduleMinutes !== undefined) {
        alarm(
          `${name}Heartbeat`,
          fn.metricInvocations({ period: Duration.minutes(3 * scheduleMinutes), statistic: 'Sum' }),
          `${name} has not run for ${3 * scheduleMinutes} minutes (escalations and deemed acceptance stop)`,
          { threshold: 1, below: true, missing: TreatMissingData.BREACHING },
        );
      }
    }

    // The API: any 5xx, a slow p99, and 503s (a dependency failing) beyond a blip.
    alarm(
      'Api5xx',
      props.api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }),
      'the API answered 5xx',
    );
    alarm(
      'ApiLatencyP99',
      props.api.metricLatency({ period: FIVE_MINUTES, statistic: 'p99' }),
      `API p99 latency above ${API_P99_MS} ms for 15 minutes`,
      { threshold: API_P99_MS, periods: 3 },
    );
    alarm(
      'Unavailable503',
      app('DependencyUnavailable'),
      `more than ${UNAVAILABLE_PER_5_MIN} requests in 5 minutes answered 503 (a dependency is failing)`,
      { threshold: UNAVAILABLE_PER_5_MIN },
    );
    alarm(
      'UnexpectedErrors',
      app('UnexpectedError'),
      'a request failed on a bug (500 with a correlation id)',
    );

    // The table and each index: any throttled read or write.
    // Each expression names its metrics apart: one graph shows them all.
    let expressions = 0;
    const throttles = (dimensions: Record<string, string>, label: string) => {
      const n = expressions++;
      return new MathExpression({
        expression: `r${n} + w${n}`,
        label,
        period: FIVE_MINUTES,
        usingMetrics: {
          [`r${n}`]: new Metric({
            namespace: 'AWS/DynamoDB',
            metricName: 'ReadThrottleEvents',
            dimensionsMap: dimensions,
            statistic: 'Sum',
          }),
          [`w${n}`]: new Metric({
            namespace: 'AWS/DynamoDB',
            metricName: 'WriteThrottleEvents',
            dimensionsMap: dimensions,
            statistic: 'Sum',
          }),
        },
      });
    };
    const tableName = props.table.tableName;
    alarm(
      'TableThrottles',
      throttles({ TableName: tableName }, 'table'),
      'the table throttled reads or writes',
    );
    for (const index of props.indexNames) {
      alarm(
        `${index}Throttles`,
        throttles({ TableName: tableName, GlobalSecondaryIndexName: index }, index),
        `index ${index} throttled (its writes throttle the table's)`,
      );
    }

    // Queues: the oldest message waiting too long (the consumer is failing or too slow).
    for (const { name, queue } of props.queues) {
      alarm(
        `${name}OldestMessage`,
        queue.metricApproximateAgeOfOldestMessage({ period: FIVE_MINUTES, statistic: 'Maximum' }),
        `the ${name} queue holds a message older than ${OLDEST_MESSAGE_MINUTES} minutes`,
        { threshold: OLDEST_MESSAGE_MINUTES * 60 },
      );
    }

    // One dashboard: traffic and failures first, then the background work and the business.
    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: `urna-${stage}` });
    const fns = props.functions;
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: `# Urna ${stage}\nAlarms go to the alarm topic (AlarmTopicArn output). Metrics of the application: namespace ${props.metrics.namespace}.`,
        width: 24,
        height: 2,
      }),
      new GraphWidget({
        title: 'API: requests, 4xx, 5xx',
        left: [props.api.metricCount(), props.api.metricClientError(), props.api.metricServerError()],
        width: 12,
      }),
      new GraphWidget({
        title: 'API latency p50 / p99 (ms)',
        left: [props.api.metricLatency({ statistic: 'p50' }), props.api.metricLatency({ statistic: 'p99' })],
        width: 12,
      }),
      new GraphWidget({
        title: 'Function errors',
        left: fns.map((f) => f.fn.metricErrors({ label: f.name })),
        width: 12,
      }),
      new GraphWidget({
        title: 'Function throttles',
        left: fns.map((f) => f.fn.metricThrottles({ label: f.name })),
        width: 12,
      }),
      new GraphWidget({
        title: 'Oldest message per queue (s)',
        left: props.queues.map((q) => q.queue.metricApproximateAgeOfOldestMessage({ label: q.name })),
        width: 12,
      }),
      new GraphWidget({
        title: 'Table and index throttles',
        left: [
          throttles({ TableName: tableName }, 'table'),
          ...props.indexNames.map((i) => throttles({ TableName: tableName, GlobalSecondaryIndexName: i }, i)),
        ],
        width: 12,
      }),
      new GraphWidget({
        title: 'Cases filed, notices relayed, dependency failures',
        left: [
          'CaseFiled',
          'OutboxRelayed',
          'NoticesRelayed',
          'DependencyUnavailable',
          'UnexpectedError',
        ].map(app),
        width: 24,
      }),
    );
  }
}

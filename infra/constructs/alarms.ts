import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IAlarmAction,
  type Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/** An alarm that fires when the metric is above `threshold` (zero) in a period, and says when it clears. */
export function anyAboveZero(
  scope: Construct,
  id: string,
  metric: Metric,
  description: string,
  action: IAlarmAction,
  threshold = 0,
): Alarm {
  const alarm = new Alarm(scope, id, {
    alarmDescription: description,
    metric,
    threshold,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  alarm.addAlarmAction(action);
  alarm.addOkAction(action);
  return alarm;
}

/** Every dead-letter queue is watched: one visible message is one for an operator. */
export function watchDlq(
  scope: Construct,
  id: string,
  dlq: IQueue,
  description: string,
  action: IAlarmAction,
): Alarm {
  return anyAboveZero(
    scope,
    id,
    dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
    description,
    action,
  );
}

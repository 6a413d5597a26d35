import { App, type AppProps, Aspects, Tags } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { LogLevel } from '../constructs/ServerlessFunction.ts';
import { UrnaStack } from '../stacks/UrnaStack.ts';

export interface CreateAppOptions {
  /** Extra CDK context (tests pass `aws:cdk:bundling-stacks: []` to skip esbuild). */
  readonly context?: Record<string, unknown>;
  readonly outdir?: string;
  /** Write cdk-nag's CSV report next to the template. @default true */
  readonly nagReports?: boolean;
  /**
   * CDK's built-in CloudFormation schema validation (a WASM engine, ~4 s). Fast tests turn it off;
   * `npm run synth` and the bundling test keep it. @default true
   */
  readonly cloudFormationValidation?: boolean;
  /** Environment to read defaults from. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

const LOG_LEVELS: readonly LogLevel[] = ['DEBUG', 'INFO', 'WARN', 'ERROR'];

/**
 * Builds the CDK app: one `UrnaStack`, cdk-nag AwsSolutions checks on everything. Settings come
 * from context (`cdk synth -c stage=prod`) or environment variables, and all have offline
 * defaults, so a synth needs no AWS account and no Docker:
 *   stage      -c stage      | URNA_STAGE          default "dev"
 *   account    -c account    | CDK_DEFAULT_ACCOUNT default none (environment-agnostic stack)
 *   region     -c region     | CDK_DEFAULT_REGION  cdk.json pins sa-east-1 (São Paulo, the nearest
 *              region to Colombia); required when data is kept (retain)
 *   logLevel   -c logLevel   | URNA_LOG_LEVEL      default "INFO"
 *   CORS       -c corsOrigins=https://a.gov.co,https://b.gov.co | URNA_CORS_ORIGINS  required (never
 *              "*") when data is kept; "*" only for a throwaway stage (retain=false)
 *   throttles  -c publicWriteRps=20 -c publicWriteBurst=40 | URNA_PUBLIC_WRITE_RPS, …_BURST: each
 *              route anyone may write to (the stage's default, 50/100, for the rest)
 *   citizens   -c citizenAuthIssuer=<OIDC issuer> -c citizenAuthAudience=<client id>
 *              | URNA_CITIZEN_AUTH_ISSUER, URNA_CITIZEN_AUTH_AUDIENCE  default none (identified
 *              participation answers 500 until set)
 *   notices    -c noticeSender=no-reply@pqrsd.entidad.gov.co | URNA_NOTICE_SENDER  default none
 *   documents  -c malwareProtection=true | URNA_MALWARE_PROTECTION  GuardDuty scans uploads (default off)
 *              (a verified SES identity; until set, notices wait in the notifications DLQ)
 *   SMS        -c smsOriginationIdentity=<ARN, phone-… or pool-… id> [-c smsConfigurationSet=<name>]
 *              | URNA_SMS_ORIGINATION_IDENTITY, URNA_SMS_CONFIGURATION_SET  default none (phone-only
 *              petitioners are notified by publication, CPACA art. 69)
 *   tracking   -c trackingUrl=https://portal.gov.co/seguimiento?radicado={radicado} | URNA_TRACKING_URL
 *              default the API's GET /v1/cases/{radicado} (the link in each SMS)
 *   data       -c retain=false | URNA_RETAIN  default true: keep the data (table, logs, pool, documents)
 *              with deletion protection and backups; a deployment that keeps data must name its
 *              region. -c logRetentionDays (365), -c backupDailyDays (35), -c backupMonthlyDays (365)
 *   alarms     -c alarmEmail=ops@entidad.gov.co | URNA_ALARM_EMAIL  subscribed to the alarm topic
 *              (default none: subscribe by hand, the AlarmTopicArn output says how)
 *   capacity   -c fileCaseConcurrency=20 | URNA_FILE_CASE_CONCURRENCY (reserved for FileCase; 0: none,
 *              for an account whose concurrency quota is still the new-account 10);
 *              -c notifyConcurrency=2 | URNA_NOTIFY_CONCURRENCY (Notify at once, under the SES rate)
 */
export function createApp(options: CreateAppOptions = {}): { app: App; stack: UrnaStack } {
  const env = options.env ?? process.env;
  const appProps: AppProps = {
    ...(options.context === undefined ? {} : { context: options.context }),
    ...(options.outdir === undefined ? {} : { outdir: options.outdir }),
    ...(options.cloudFormationValidation === false ? { builtinCloudFormationValidation: false } : {}),
  };
  const app = new App(appProps);
  const setting = (contextKey: string, envKey: string): string | undefined => {
    const fromContext: unknown = app.node.tryGetContext(contextKey);
    if (typeof fromContext === 'string' && fromContext !== '') return fromContext;
    const fromEnv = env[envKey];
    return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
  };

  const stage = setting('stage', 'URNA_STAGE') ?? 'dev';
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(stage)) {
    throw new Error(`stage "${stage}": use lowercase letters, digits and dashes (at most 20)`);
  }
  const logLevel = (setting('logLevel', 'URNA_LOG_LEVEL') ?? 'INFO').toUpperCase();
  if (!isLogLevel(logLevel)) throw new Error(`logLevel "${logLevel}": use one of ${LOG_LEVELS.join(', ')}`);
  const account = setting('account', 'CDK_DEFAULT_ACCOUNT');
  const region = setting('region', 'CDK_DEFAULT_REGION');
  const retainSetting = setting('retain', 'URNA_RETAIN');
  if (retainSetting !== undefined && retainSetting !== 'true' && retainSetting !== 'false') {
    throw new Error(`retain "${retainSetting}": use true or false`);
  }
  const retain = retainSetting !== 'false';
  if (retain && region === undefined) {
    throw new Error(
      "region: a deployment that keeps petitioners' data says where it lives (-c region=sa-east-1 or CDK_DEFAULT_REGION); or -c retain=false for a throwaway stage",
    );
  }
  const corsOrigins = setting('corsOrigins', 'URNA_CORS_ORIGINS')
    ?.split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '');

  const citizenIssuer = setting('citizenAuthIssuer', 'URNA_CITIZEN_AUTH_ISSUER');
  const citizenAudience = setting('citizenAuthAudience', 'URNA_CITIZEN_AUTH_AUDIENCE');
  const noticeSender = setting('noticeSender', 'URNA_NOTICE_SENDER');
  if (noticeSender !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(noticeSender)) {
    throw new Error(`noticeSender "${noticeSender}": expected an email address`);
  }
  const smsOrigination = setting('smsOriginationIdentity', 'URNA_SMS_ORIGINATION_IDENTITY');
  const smsConfigurationSet = setting('smsConfigurationSet', 'URNA_SMS_CONFIGURATION_SET');
  if (
    smsOrigination !== undefined &&
    !/^(arn:aws[\w-]*:sms-voice:\S+|(phone|pool)-[A-Za-z0-9]+)$/.test(smsOrigination)
  ) {
    throw new Error(`smsOriginationIdentity "${smsOrigination}": give its ARN, or a phone-… or pool-… id`);
  }
  const trackingUrl = setting('trackingUrl', 'URNA_TRACKING_URL');
  if (trackingUrl !== undefined && !/^https:\/\/\S+\{radicado\}/.test(trackingUrl)) {
    throw new Error(`trackingUrl "${trackingUrl}": expected an https URL with {radicado}`);
  }
  const alarmEmail = setting('alarmEmail', 'URNA_ALARM_EMAIL');
  if (alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(alarmEmail)) {
    throw new Error(`alarmEmail "${alarmEmail}": expected an e-mail address`);
  }
  const whole = (name: string, contextKey: string, envKey: string, min: number): number | undefined => {
    const value = setting(contextKey, envKey);
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min)
      throw new Error(`${name} "${value}": expected a whole number ≥ ${min}`);
    return n;
  };
  const fileCaseConcurrency = whole(
    'fileCaseConcurrency',
    'fileCaseConcurrency',
    'URNA_FILE_CASE_CONCURRENCY',
    0,
  );
  const notifyConcurrency = whole('notifyConcurrency', 'notifyConcurrency', 'URNA_NOTIFY_CONCURRENCY', 2);
  if (retain && (corsOrigins === undefined || corsOrigins.length === 0 || corsOrigins.includes('*'))) {
    throw new Error(
      'corsOrigins: a deployment that keeps data names the portals browsers may call it from (-c corsOrigins=https://portal.entidad.gov.co,… or URNA_CORS_ORIGINS), never "*"; or -c retain=false for a throwaway stage',
    );
  }
  const writeRps = whole('publicWriteRps', 'publicWriteRps', 'URNA_PUBLIC_WRITE_RPS', 1);
  const writeBurst = whole('publicWriteBurst', 'publicWriteBurst', 'URNA_PUBLIC_WRITE_BURST', 1);
  const logRetentionDays = whole('logRetentionDays', 'logRetentionDays', 'URNA_LOG_RETENTION_DAYS', 1);
  const backupDaily = whole('backupDailyDays', 'backupDailyDays', 'URNA_BACKUP_DAILY_DAYS', 1);
  const backupMonthly = whole('backupMonthlyDays', 'backupMonthlyDays', 'URNA_BACKUP_MONTHLY_DAYS', 1);
  const stack = new UrnaStack(app, 'UrnaStack', {
    stackName: `urna-${stage}`,
    description: `Urna (${stage}): serverless PQRSD backend`,
    stage,
    retain,
    ...(writeRps === undefined && writeBurst === undefined
      ? {}
      : { publicWriteThrottle: { rateLimit: writeRps ?? 20, burstLimit: writeBurst ?? 40 } }),
    ...(logRetentionDays === undefined ? {} : { logRetentionDays }),
    ...(backupDaily === undefined && backupMonthly === undefined
      ? {}
      : { backupDays: { daily: backupDaily ?? 35, monthly: backupMonthly ?? 365 } }),
    logLevel,
    ...(corsOrigins === undefined || corsOrigins.length === 0 ? {} : { corsAllowOrigins: corsOrigins }),
    ...(citizenIssuer !== undefined && citizenAudience !== undefined
      ? { citizenAuth: { issuer: citizenIssuer, audience: citizenAudience } }
      : {}),
    ...(noticeSender === undefined ? {} : { noticeSender }),
    ...(smsOrigination === undefined
      ? {}
      : {
          sms: {
            originationIdentity: smsOrigination,
            ...(smsConfigurationSet === undefined ? {} : { configurationSet: smsConfigurationSet }),
          },
        }),
    ...(trackingUrl === undefined ? {} : { trackingUrl }),
    ...(alarmEmail === undefined ? {} : { alarmEmail }),
    ...(fileCaseConcurrency === undefined ? {} : { fileCaseConcurrency }),
    ...(notifyConcurrency === undefined ? {} : { notifyConcurrency }),
    ...(setting('malwareProtection', 'URNA_MALWARE_PROTECTION') === 'true'
      ? { malwareProtection: true }
      : {}),
    ...(region === undefined ? {} : { env: account === undefined ? { region } : { account, region } }),
  });
  Tags.of(app).add('project', 'urna');
  Tags.of(app).add('stage', stage);
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true, reports: options.nagReports ?? true }));
  return { app, stack };
}

function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

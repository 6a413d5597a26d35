import { App, type AppProps, Aspects, Tags } from 'aws-cdk-lib';
import { DEFAULT_CROSS_STACK_REFERENCES } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks, NIST80053R5Checks, ServerlessChecks } from 'cdk-nag';
import * as z from 'zod';
import type { LogLevel } from '../constructs/ServerlessFunction.ts';
import { type EdgeDomainSettings, UrnaEdgeStack } from '../stacks/UrnaEdgeStack.ts';
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
 * Builds the CDK app: one `UrnaStack`, cdk-nag's AwsSolutions, NIST 800-53 R5 and Serverless
 * checks on everything. Settings come from context (`cdk synth -c stage=prod`) or environment
 * variables, and all have offline defaults, so a synth needs no AWS account and no Docker:
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
 *   routes     -c routeThrottles='{"POST /v1/cases":{"rps":10,"burst":20}}' | URNA_ROUTE_THROTTLES
 *              a route's own stage throttle (key "METHOD /path" as in shared/http/routes), over the above
 *   edge       -c edge=false | URNA_EDGE  default on whenever the region is known: CloudFront + AWS WAF in
 *              front of the API, their us-east-1 part in a second stack, urna-<stage>-edge (ADR 0015);
 *              -c edgeWriteLimit=300 -c edgeRequestLimit=3000 | URNA_EDGE_WRITE_LIMIT, …_REQUEST_LIMIT:
 *              requests per client IP per 5 minutes on POST/PUT/PATCH/DELETE, and on any method (≥ 10)
 *   domain     -c domainName=pqrsd.entidad.gov.co | URNA_DOMAIN_NAME  default none (*.cloudfront.net);
 *              with -c hostedZoneId=Z… -c hostedZoneName=entidad.gov.co | URNA_HOSTED_ZONE_ID, …_NAME
 *              (certificates and records made there) or -c certificateArn=<us-east-1 ACM ARN for the
 *              name> and -c originCertificateArn=<ACM ARN in the region for origin.<name>>
 *              | URNA_CERTIFICATE_ARN, URNA_ORIGIN_CERTIFICATE_ARN (records by hand: the DnsRecords output).
 *              The API then answers only at origin.<name> (its execute-api endpoint is off)
 */
export function createApp(options: CreateAppOptions = {}): {
  app: App;
  stack: UrnaStack;
  /** The us-east-1 part of the edge (WebACL, certificate), when the edge is on. */
  edgeStack: UrnaEdgeStack | undefined;
} {
  const env = options.env ?? process.env;
  const appProps: AppProps = {
    ...(options.context === undefined ? {} : { context: options.context }),
    ...(options.outdir === undefined ? {} : { outdir: options.outdir }),
    ...(options.cloudFormationValidation === false ? { builtinCloudFormationValidation: false } : {}),
  };
  const app = new App(appProps);
  // The edge's WebACL and certificate are referenced across regions (SSM-backed exports that keep
  // the producer from deleting what is in use): CDK's default so far, said so to keep it.
  if (app.node.tryGetContext(DEFAULT_CROSS_STACK_REFERENCES) === undefined) {
    app.node.setContext(DEFAULT_CROSS_STACK_REFERENCES, 'strong');
  }
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
  // Key rotation (docs/adr/0016-keys-in-kms.md): one more version, one more KMS key.
  const receiptKeys = whole('receiptKeyVersions', 'receiptKeyVersions', 'URNA_RECEIPT_KEY_VERSIONS', 1);
  const pseudonymKeys = whole(
    'pseudonymKeyVersions',
    'pseudonymKeyVersions',
    'URNA_PSEUDONYM_KEY_VERSIONS',
    1,
  );
  const routeThrottles = parseRouteThrottles(setting('routeThrottles', 'URNA_ROUTE_THROTTLES'));
  const edgeSetting = setting('edge', 'URNA_EDGE');
  if (edgeSetting !== undefined && edgeSetting !== 'true' && edgeSetting !== 'false') {
    throw new Error(`edge "${edgeSetting}": use true or false`);
  }
  if (edgeSetting === 'true' && region === undefined) {
    throw new Error(
      "edge: CloudFront's WebACL is referenced across regions, so the API's region must be named (-c region)",
    );
  }
  const edgeOn = edgeSetting !== 'false' && region !== undefined;
  const domain = edgeDomain({
    name: setting('domainName', 'URNA_DOMAIN_NAME'),
    zoneId: setting('hostedZoneId', 'URNA_HOSTED_ZONE_ID'),
    zoneName: setting('hostedZoneName', 'URNA_HOSTED_ZONE_NAME'),
    certificateArn: setting('certificateArn', 'URNA_CERTIFICATE_ARN'),
    originCertificateArn: setting('originCertificateArn', 'URNA_ORIGIN_CERTIFICATE_ARN'),
    region,
  });
  if (domain !== undefined && !edgeOn) {
    throw new Error(`domainName ${domain.name}: a domain is served by the edge (CloudFront), which is off`);
  }
  const writeLimit = whole('edgeWriteLimit', 'edgeWriteLimit', 'URNA_EDGE_WRITE_LIMIT', 10);
  const requestLimit = whole('edgeRequestLimit', 'edgeRequestLimit', 'URNA_EDGE_REQUEST_LIMIT', 10);
  // WAF for CloudFront and CloudFront's certificates exist only in us-east-1.
  const edgeStack = edgeOn
    ? new UrnaEdgeStack(app, 'UrnaEdgeStack', {
        stackName: `urna-${stage}-edge`,
        description: `Urna (${stage}): AWS WAF and certificate for the API's CloudFront distribution`,
        stage,
        retain,
        ...(logRetentionDays === undefined ? {} : { logRetentionDays }),
        ...(writeLimit === undefined ? {} : { writeLimit }),
        ...(requestLimit === undefined ? {} : { requestLimit }),
        ...(domain === undefined ? {} : { domain }),
        env: account === undefined ? { region: 'us-east-1' } : { account, region: 'us-east-1' },
        crossRegionReferences: true,
      })
    : undefined;
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
    keyVersions: {
      ...(receiptKeys === undefined ? {} : { receipts: receiptKeys }),
      ...(pseudonymKeys === undefined ? {} : { pseudonyms: pseudonymKeys }),
    },
    ...(fileCaseConcurrency === undefined ? {} : { fileCaseConcurrency }),
    ...(notifyConcurrency === undefined ? {} : { notifyConcurrency }),
    ...(routeThrottles === undefined ? {} : { routeThrottles }),
    ...(edgeStack === undefined
      ? {}
      : {
          crossRegionReferences: true,
          edge: {
            webAclArn: edgeStack.webAcl.attrArn,
            ...(domain === undefined || edgeStack.certificate === undefined
              ? {}
              : {
                  domain: {
                    name: domain.name,
                    certificate: edgeStack.certificate,
                    ...(domain.zone === undefined ? {} : { zone: domain.zone }),
                    ...(domain.originCertificateArn === undefined
                      ? {}
                      : { originCertificateArn: domain.originCertificateArn }),
                  },
                }),
          },
        }),
    ...(setting('malwareProtection', 'URNA_MALWARE_PROTECTION') === 'true'
      ? { malwareProtection: true }
      : {}),
    ...(region === undefined ? {} : { env: account === undefined ? { region } : { account, region } }),
  });
  Tags.of(app).add('project', 'urna');
  Tags.of(app).add('stage', stage);
  // Three packs: AWS's own practices, NIST 800-53 rev 5 (a common control baseline for audits) and
  // serverless practices; each finding is fixed or suppressed, with its reason, where its resource is made.
  const nag = { verbose: true, reports: options.nagReports ?? true };
  Aspects.of(app).add(new AwsSolutionsChecks(nag));
  Aspects.of(app).add(new NIST80053R5Checks(nag));
  Aspects.of(app).add(new ServerlessChecks(nag));
  return { app, stack, edgeStack };
}

const ROUTE_THROTTLES = z.record(
  z.string(),
  z.strictObject({ rps: z.number().int().min(1), burst: z.number().int().min(0) }),
);

/** `{"POST /v1/cases":{"rps":10,"burst":20}}` as the stack's route throttles (route keys: the stack checks). */
function parseRouteThrottles(
  value: string | undefined,
): Record<string, { rateLimit: number; burstLimit: number }> | undefined {
  if (value === undefined) return undefined;
  const expected = 'expected JSON like {"POST /v1/cases":{"rps":10,"burst":20}}';
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    throw new Error(`routeThrottles: not JSON; ${expected}`);
  }
  const parsed = ROUTE_THROTTLES.safeParse(json);
  if (!parsed.success) {
    throw new Error(`routeThrottles: ${z.prettifyError(parsed.error).replaceAll('\n', ' ')}; ${expected}`);
  }
  return Object.fromEntries(
    Object.entries(parsed.data).map(([key, t]) => [key, { rateLimit: t.rps, burstLimit: t.burst }]),
  );
}

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const ACM_ARN = /^arn:aws[\w-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[\w-]+$/;

/** The public domain's settings, checked together (each certificate not given is made in the zone). */
function edgeDomain(s: {
  name: string | undefined;
  zoneId: string | undefined;
  zoneName: string | undefined;
  certificateArn: string | undefined;
  originCertificateArn: string | undefined;
  region: string | undefined;
}): EdgeDomainSettings | undefined {
  if (s.name === undefined) {
    if ([s.zoneId, s.zoneName, s.certificateArn, s.originCertificateArn].some((v) => v !== undefined)) {
      throw new Error(
        'domainName: hostedZoneId, hostedZoneName, certificateArn and originCertificateArn belong to a domain; set -c domainName too',
      );
    }
    return undefined;
  }
  const name = s.name.toLowerCase();
  if (!HOST_NAME.test(name))
    throw new Error(`domainName "${s.name}": expected a host name (pqrsd.entidad.gov.co)`);
  if ((s.zoneId === undefined) !== (s.zoneName === undefined)) {
    throw new Error(
      'hostedZoneId and hostedZoneName: give both (the Route 53 zone holding the domain) or neither',
    );
  }
  const zoneName = s.zoneName?.toLowerCase().replace(/\.$/, '');
  if (s.zoneId !== undefined && !/^Z[A-Z0-9]{1,31}$/.test(s.zoneId)) {
    throw new Error(`hostedZoneId "${s.zoneId}": expected a Route 53 zone id (Z…)`);
  }
  if (zoneName !== undefined && name !== zoneName && !name.endsWith(`.${zoneName}`)) {
    throw new Error(`domainName ${name}: not in the hosted zone ${zoneName}`);
  }
  if (s.certificateArn !== undefined && ACM_ARN.exec(s.certificateArn)?.[1] !== 'us-east-1') {
    throw new Error(
      `certificateArn "${s.certificateArn}": expected an ACM certificate ARN in us-east-1 (CloudFront's)`,
    );
  }
  if (s.originCertificateArn !== undefined && ACM_ARN.exec(s.originCertificateArn)?.[1] !== s.region) {
    throw new Error(
      `originCertificateArn "${s.originCertificateArn}": expected an ACM certificate ARN in the API's region (${s.region})`,
    );
  }
  if (zoneName === undefined && (s.certificateArn === undefined || s.originCertificateArn === undefined)) {
    throw new Error(
      `domainName ${name}: without a hosted zone (-c hostedZoneId, -c hostedZoneName), give both certificates (-c certificateArn, -c originCertificateArn)`,
    );
  }
  return {
    name,
    ...(s.zoneId === undefined || zoneName === undefined
      ? {}
      : { zone: { hostedZoneId: s.zoneId, zoneName } }),
    ...(s.certificateArn === undefined ? {} : { certificateArn: s.certificateArn }),
    ...(s.originCertificateArn === undefined ? {} : { originCertificateArn: s.originCertificateArn }),
  };
}

function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

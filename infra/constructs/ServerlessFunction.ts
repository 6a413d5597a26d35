import { fileURLToPath } from 'node:url';
import { type Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import {
  ApplicationLogLevel,
  Architecture,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import {
  LogLevel as EsbuildLogLevel,
  NodejsFunction,
  OutputFormat,
  SourceMapMode,
} from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';

/** Values every Urna function shares; Powertools reads the first two, our config the rest. */
export const POWERTOOLS_SERVICE_NAME = 'urna';
export const POWERTOOLS_METRICS_NAMESPACE = 'Urna';

/** The runtime and architecture every function runs on (one place to move them). */
export const RUNTIME = Runtime.NODEJS_22_X;
export const ARCHITECTURE = Architecture.ARM_64;

/**
 * Prepended to every ESM bundle: bundled CommonJS dependencies that call `require` (directly or
 * through esbuild's `__require` shim) get a real one. The import is aliased so that it cannot
 * collide with a bundled identifier.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __urnaCreateRequire } from 'node:module';" +
  'const require = __urnaCreateRequire(import.meta.url);';

/**
 * Nothing is left out of the bundle, the AWS SDK included: tree-shaken it imports faster than the
 * runtime's copy, and the functions run the SDK version the tests ran.
 * Why: docs/adr/0006-bundling-shims.md
 */
export const EXTERNAL_MODULES: readonly string[] = [];

/**
 * `http` and `node:http` resolve to the built-in taken with `process.getBuiltinModule`, not an
 * ESM import: on Node 22 the ESM facade of node:http loads undici at every cold start.
 * Why: docs/adr/0006-bundling-shims.md
 */
export const NODE_HTTP_SHIM = fileURLToPath(new URL('./bundling/nodeHttp.cjs', import.meta.url));

/**
 * `@aws-sdk/credential-provider-node` (the SDK's default chain) resolves to the environment
 * provider alone: Lambda puts the role's credentials in the environment.
 * Why: docs/adr/0006-bundling-shims.md
 */
export const CREDENTIALS_SHIM = fileURLToPath(new URL('./bundling/credentialProvider.mjs', import.meta.url));

/**
 * `semver` resolves to a `gte` alone: its only importer, aws-xray-sdk-core's SDK v2 patcher, is
 * never called. The bundling test fails if another importer appears.
 * Why: docs/adr/0006-bundling-shims.md
 */
export const SEMVER_SHIM = fileURLToPath(new URL('./bundling/semver.cjs', import.meta.url));

/**
 * How every function is bundled (esbuild, through NodejsFunction): minified ESM with a source map
 * that leaves the sources out. `npm run bench -- filing` builds its cold-start bundles with these.
 */
export const BUNDLING = {
  format: 'esm',
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_BANNER,
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  external: EXTERNAL_MODULES,
  alias: {
    http: NODE_HTTP_SHIM,
    'node:http': NODE_HTTP_SHIM,
    '@aws-sdk/credential-provider-node': CREDENTIALS_SHIM,
    semver: SEMVER_SHIM,
  },
} as const;

/** The variables every function starts with (its own are added on top). */
export function baseEnvironment(logLevel: LogLevel): Record<string, string> {
  return {
    POWERTOOLS_SERVICE_NAME,
    POWERTOOLS_METRICS_NAMESPACE,
    LOG_LEVEL: logLevel,
    // No --enable-source-maps: Node would parse the map at every cold start. The map ships beside
    // the bundle; logged frames map back offline. Why: docs/adr/0006-bundling-shims.md
  };
}

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

const APPLICATION_LOG_LEVEL: Record<LogLevel, ApplicationLogLevel> = {
  DEBUG: ApplicationLogLevel.DEBUG,
  INFO: ApplicationLogLevel.INFO,
  WARN: ApplicationLogLevel.WARN,
  ERROR: ApplicationLogLevel.ERROR,
};

export interface ServerlessFunctionProps {
  /** Absolute path of the handler module; it exports `handler`. */
  readonly entry: string;
  /** Absolute path of the project root (holds package-lock.json and tsconfig.json). */
  readonly projectRoot: string;
  readonly description?: string;
  /** MB. */
  readonly memorySize: number;
  readonly timeout: Duration;
  /** Extra environment on top of the Powertools variables. */
  readonly environment?: Readonly<Record<string, string>>;
  /** @default INFO */
  readonly logLevel?: LogLevel;
  /** @default one month */
  readonly logRetention?: RetentionDays;
  /** What happens to the log group when the stack is deleted. @default DESTROY */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * The customer managed key the log group is encrypted with (its policy must let the CloudWatch
   * Logs service use it for this account's log groups). @default CloudWatch Logs' own encryption
   */
  readonly logKey?: IKey;
  /**
   * Modules the function imports lazily, each bundled into a file of its own beside the bundle
   * (file name → entry, relative to the project root), so their code weighs on no cold start.
   */
  readonly chunks?: Readonly<Record<string, string>>;
  /** Concurrency reserved for (and capping) this function; absent: the account's pool. */
  readonly reservedConcurrency?: number;
}

/** The script that bundles a chunk with the function's esbuild options (`chunks`). */
export const CHUNK_BUILDER = fileURLToPath(new URL('./bundling/buildChunk.mjs', import.meta.url));

/** BUNDLING as esbuild's own options (what CDK passes it), for chunks and the cold-start bench. */
export function esbuildOptions() {
  return {
    format: BUNDLING.format,
    target: 'node22',
    mainFields: [...BUNDLING.mainFields],
    banner: { js: BUNDLING.banner },
    minify: BUNDLING.minify,
    sourcemap: BUNDLING.sourcemap,
    sourcesContent: BUNDLING.sourcesContent,
    external: [...BUNDLING.external],
    alias: { ...BUNDLING.alias },
  };
}

/** The esbuild options of a chunk: the function's own (BUNDLING), for its file. */
function chunkOptions(): string {
  return Buffer.from(JSON.stringify(esbuildOptions()), 'utf8').toString('base64url');
}

/**
 * THE one way Urna defines a Lambda function: Node.js 22 on ARM64, bundled locally by esbuild
 * (no Docker) to minified ESM with source maps, X-Ray tracing, JSON logs into its own log group
 * with a retention (encrypted with `logKey`), Powertools environment, and its own role that starts
 * with nothing but the right to write to that log group (no AWS managed policy). Callers add the
 * grants it needs, and the cdk-nag suppressions that depend on how the function is invoked.
 */
export class ServerlessFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ServerlessFunctionProps) {
    super(scope, id);
    const logLevel = props.logLevel ?? 'INFO';

    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.DESTROY,
      ...(props.logKey === undefined ? {} : { encryptionKey: props.logKey }),
    });

    // Our own role instead of the default one with AWSLambdaBasicExecutionRole: that managed
    // policy lets the function create any log group and write to any log stream in the account.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${id}`,
    });
    this.logGroup.grant(this.role, 'logs:CreateLogStream', 'logs:PutLogEvents');

    this.function = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      projectRoot: props.projectRoot,
      depsLockFilePath: `${props.projectRoot}/package-lock.json`,
      ...(props.description === undefined ? {} : { description: props.description }),
      runtime: RUNTIME,
      architecture: ARCHITECTURE,
      memorySize: props.memorySize,
      timeout: props.timeout,
      ...(props.reservedConcurrency === undefined
        ? {}
        : { reservedConcurrentExecutions: props.reservedConcurrency }),
      role: this.role,
      tracing: Tracing.ACTIVE,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: APPLICATION_LOG_LEVEL[logLevel],
      systemLogLevelV2: SystemLogLevel.INFO,
      environment: { ...baseEnvironment(logLevel), ...props.environment },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        mainFields: [...BUNDLING.mainFields],
        banner: BUNDLING.banner,
        minify: BUNDLING.minify,
        sourceMap: BUNDLING.sourcemap,
        sourceMapMode: SourceMapMode.DEFAULT,
        sourcesContent: BUNDLING.sourcesContent,
        externalModules: [...BUNDLING.external],
        esbuildArgs: {
          '--alias': Object.entries(BUNDLING.alias).map(([from, to]) => `${from}=${to}`),
        },
        // Warnings and errors only: no per-bundle size summary in every synth and test run.
        logLevel: EsbuildLogLevel.WARNING,
        ...(props.chunks
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (_input: string, output: string) =>
                  Object.entries(props.chunks ?? {}).map(
                    ([file, entry]) =>
                      `node "${CHUNK_BUILDER}" "${props.projectRoot}/${entry}" "${output}/${file}" ${chunkOptions()}`,
                  ),
              },
            }
          : {}),
      },
    });

    const runtimeReason =
      'Node.js 22 is the runtime Urna targets and tests on (LTS, supported by Lambda); cdk-nag flags it only ' +
      'because CDK also knows nodejs24.x. Moving is a one-line change of RUNTIME in ServerlessFunction.ts once ' +
      'the dependencies and the cold-start benchmark are checked on 24.';
    NagSuppressions.addResourceSuppressions(this.function, [
      { id: 'AwsSolutions-L1', reason: runtimeReason },
      { id: 'Serverless-LambdaLatestVersion', reason: runtimeReason },
      {
        id: 'NIST.800.53.R5-LambdaInsideVPC',
        reason:
          'Urna functions reach only public HTTPS endpoints: AWS services (DynamoDB, SQS, S3, KMS, SES, SMS, ' +
          'Cognito, X-Ray), each call signed with the function role and limited by IAM, and the identity ' +
          "providers' public JWKS. They hold no listener and reach no private resource: a VPC would add NAT " +
          'gateway or interface endpoint cost and cold-start latency with no private data path to protect.',
      },
      ...(props.reservedConcurrency === undefined
        ? [
            {
              id: 'NIST.800.53.R5-LambdaConcurrency',
              reason:
                'Concurrency is reserved only where it buys something (FileCase keeps room for filings, each ' +
                'schedule runs one at a time). Reserving it for every function would carve up the account pool ' +
                '(Lambda keeps 100 unreserved; a new account has 10) and throttle each function at a guess; the ' +
                "API stage's rate and burst limits bound the HTTP functions, and the Throttles alarms " +
                '(Operations.ts) report a function reaching the account limit.',
            },
          ]
        : []),
    ]);
    NagSuppressions.addResourceSuppressions(
      this.role,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'X-Ray active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords do not support resource-level ' +
            'permissions, so CDK grants them on "*". This is the only wildcard resource in the role (asserted by ' +
            'test/infra); table, queue, log group and secret grants name their ARNs.',
          appliesTo: ['Resource::*'],
        },
        {
          id: 'NIST.800.53.R5-IAMNoInlinePolicy',
          reason:
            "The role is this function's alone and so is its policy: every grant names this function's own " +
            'resources. A customer managed policy attached to this single role would be a second resource with ' +
            'the same lifecycle and nothing to share.',
        },
      ],
      true,
    );
  }
}

import type { CfnResource, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { createApp } from '../../infra/bin/createApp.ts';
import type { UrnaEdgeStack } from '../../infra/stacks/UrnaEdgeStack.ts';
import type { UrnaStack } from '../../infra/stacks/UrnaStack.ts';

/** A CloudFormation resource as it appears in the synthesized template. */
export interface TemplateResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

export interface PolicyStatementJson {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
  /** Resource policies only (queue, topic, key policies). */
  Principal?: unknown;
}

export interface Synthesized {
  stack: UrnaStack;
  template: Template;
  resources: Record<string, TemplateResource>;
  /** The us-east-1 edge stack (WebACL, certificate), when the edge is on (a region is named). */
  edge: { stack: UrnaEdgeStack; template: Template; resources: Record<string, TemplateResource> } | undefined;
}

/**
 * Synthesizes the real app (cdk-nag included; CDK's CloudFormation schema validation on request,
 * it costs ~4 s) without esbuild: `aws:cdk:bundling-stacks: []`
 * turns bundling off, so the handlers are only checked to exist. test/infra/bundling.test.ts bundles.
 */
/** The SES sender the test synths configure (`-c noticeSender=…`). */
export const NOTICE_SENDER = 'no-reply@pqrsd.example.gov.co';

export function synth(
  stage = 'dev',
  options: { cloudFormationValidation?: boolean; context?: Record<string, unknown> } = {},
): Synthesized {
  const { stack, edgeStack } = createApp({
    // A configured deployment: notices are sent from a verified SES identity.
    // A dev stage is thrown away with its data; prod keeps it, in the region it names.
    context: {
      'aws:cdk:bundling-stacks': [],
      stage,
      noticeSender: NOTICE_SENDER,
      ...(stage === 'prod'
        ? { region: 'sa-east-1', corsOrigins: 'https://portal.example.gov.co' }
        : { retain: 'false' }),
      ...options.context,
    },
    nagReports: false,
    cloudFormationValidation: options.cloudFormationValidation ?? false,
    env: {},
  });
  const template = Template.fromStack(stack);
  const resources = template.toJSON().Resources as Record<string, TemplateResource>;
  const edgeTemplate = edgeStack === undefined ? undefined : Template.fromStack(edgeStack);
  const edge =
    edgeStack === undefined || edgeTemplate === undefined
      ? undefined
      : {
          stack: edgeStack,
          template: edgeTemplate,
          resources: edgeTemplate.toJSON().Resources as Record<string, TemplateResource>,
        };
  return { stack, template, resources, edge };
}

export function logicalId(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as CfnResource);
}

export function resource(resources: Record<string, TemplateResource>, id: string): TemplateResource {
  const found = resources[id];
  if (found === undefined) throw new Error(`no resource ${id} in the template`);
  return found;
}

export function prop<T>(r: TemplateResource, name: string): T {
  return r.Properties?.[name] as T;
}

export function actionsOf(statement: PolicyStatementJson): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

/** Every statement of every AWS::IAM::Policy attached to the role with this logical id. */
export function statementsOfRole(
  resources: Record<string, TemplateResource>,
  roleLogicalId: string,
): PolicyStatementJson[] {
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy')
    .filter((r) => prop<{ Ref: string }[]>(r, 'Roles').some((role) => role.Ref === roleLogicalId))
    .flatMap((r) => prop<{ Statement: PolicyStatementJson[] }>(r, 'PolicyDocument').Statement);
}

/** `{ Ref: id }` or `{ 'Fn::GetAtt': [id, …] }` — whether a CloudFormation value points at a resource. */
export function refersTo(value: unknown, id: string): boolean {
  return JSON.stringify(value).includes(`"${id}"`);
}

/** cdk-nag's packs the app runs (infra/bin/createApp.ts). */
export const NAG_PACKS = ['AwsSolutions', 'NIST.800.53.R5', 'Serverless'] as const;

/**
 * The unsuppressed findings (errors and warnings) of the given packs on the stack, as
 * "path: message" lines, optionally only those whose construct path `where` accepts.
 */
export function nagFindings(
  stack: Stack,
  packs: readonly string[] = NAG_PACKS,
  where: (path: string) => boolean = () => true,
): string[] {
  const annotations = Annotations.fromStack(stack);
  const rules = Match.stringLikeRegexp(`^(${packs.map((p) => p.replaceAll('.', '\\.')).join('|')})-.*`);
  return [...annotations.findError('*', rules), ...annotations.findWarning('*', rules)]
    .filter((m) => where(m.id))
    .map((m) => `${m.id}: ${String(m.entry.data).slice(0, 160)}`);
}

import type { Stack } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { WRITE_METHODS } from '../../infra/stacks/UrnaEdgeStack.ts';
import { officersOnly } from '../../shared/http/route.ts';
import { ROUTES } from '../../shared/http/routes/index.ts';
import { nagFindings, prop, refersTo, type Synthesized, synth, type TemplateResource } from './support.ts';

const DOMAIN = 'pqrsd.example.gov.co';
const ZONE = { hostedZoneId: 'Z0123456789ABCDEFGHIJ', hostedZoneName: 'example.gov.co' };
const CLOUDFRONT_CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';
const ORIGIN_CERT = 'arn:aws:acm:sa-east-1:123456789012:certificate/66666666-7777-8888-9999-000000000000';

let plain: Synthesized;
let withDomain: Synthesized;

beforeAll(() => {
  // prod names its region, so the edge is on; no domain: *.cloudfront.net in front of execute-api.
  plain = synth('prod', {
    context: {
      routeThrottles: JSON.stringify({
        'POST /v1/cases': { rps: 7, burst: 9 },
        'GET /v1/public/entities': { rps: 30, burst: 60 },
      }),
      edgeWriteLimit: '120',
      edgeRequestLimit: '1500',
    },
  });
  withDomain = synth('prod', { context: { domainName: DOMAIN, ...ZONE } });
});

function ofType(resources: Record<string, TemplateResource>, type: string): [string, TemplateResource][] {
  return Object.entries(resources).filter(([, r]) => r.Type === type);
}

function only(resources: Record<string, TemplateResource>, type: string): [string, TemplateResource] {
  const found = ofType(resources, type);
  expect(found, type).toHaveLength(1);
  return found[0] as [string, TemplateResource];
}

function edgeOf(s: Synthesized): NonNullable<Synthesized['edge']> {
  if (s.edge === undefined) throw new Error('no edge stack');
  return s.edge;
}

interface Rule {
  Name: string;
  Action?: unknown;
  OverrideAction?: unknown;
  Statement: {
    ManagedRuleGroupStatement?: { VendorName: string; Name: string; RuleActionOverrides?: unknown[] };
    RateBasedStatement?: { Limit: number; AggregateKeyType: string; ScopeDownStatement?: unknown };
  };
  VisibilityConfig: { CloudWatchMetricsEnabled: boolean; SampledRequestsEnabled: boolean };
}

const rulesOf = (s: Synthesized): Rule[] =>
  prop<Rule[]>(only(edgeOf(s).resources, 'AWS::WAFv2::WebACL')[1], 'Rules');
const rule = (s: Synthesized, name: string): Rule => {
  const found = rulesOf(s).find((r) => r.Name === name);
  if (found === undefined) throw new Error(`no rule ${name}`);
  return found;
};

interface DistributionConfig {
  WebACLId: unknown;
  Aliases?: string[];
  ViewerCertificate?: {
    MinimumProtocolVersion?: string;
    AcmCertificateArn?: unknown;
    SslSupportMethod?: string;
  };
  DefaultCacheBehavior: {
    ViewerProtocolPolicy: string;
    AllowedMethods: string[];
    CachePolicyId: string;
    OriginRequestPolicyId: string;
  };
  Origins: {
    DomainName: unknown;
    CustomOriginConfig: { OriginProtocolPolicy: string; OriginSSLProtocols: string[] };
  }[];
}

const distribution = (s: Synthesized): DistributionConfig =>
  prop<DistributionConfig>(only(s.resources, 'AWS::CloudFront::Distribution')[1], 'DistributionConfig');

describe('the WebACL (us-east-1, for CloudFront)', () => {
  it('lives in its own stack in us-east-1, scoped to CloudFront', () => {
    const edge = edgeOf(plain);
    expect(edge.stack.region).toBe('us-east-1');
    expect(edge.stack.stackName).toBe('urna-prod-edge');
    expect(prop(only(edge.resources, 'AWS::WAFv2::WebACL')[1], 'Scope')).toBe('CLOUDFRONT');
  });

  it('runs the AWS managed rule groups, anonymous IPs counted only', () => {
    const groups = Object.fromEntries(
      rulesOf(plain)
        .filter((r) => r.Statement.ManagedRuleGroupStatement !== undefined)
        .map((r) => [r.Statement.ManagedRuleGroupStatement?.Name, r.OverrideAction]),
    );
    expect(groups).toEqual({
      AWSManagedRulesCommonRuleSet: { None: {} },
      AWSManagedRulesKnownBadInputsRuleSet: { None: {} },
      AWSManagedRulesAmazonIpReputationList: { None: {} },
      AWSManagedRulesAnonymousIpList: { Count: {} },
    });
    // Petitions run to 160 KB: the common rule set's 8 KB body limit only counts.
    expect(
      rule(plain, 'AWSManagedRulesCommonRuleSet').Statement.ManagedRuleGroupStatement?.RuleActionOverrides,
    ).toEqual([{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }]);
  });

  it('limits writes per IP (POST, PUT, PATCH, DELETE only) and all requests per IP, from configuration', () => {
    const writes = rule(plain, 'WritesPerIp');
    expect(writes.Statement.RateBasedStatement).toMatchObject({ Limit: 120, AggregateKeyType: 'IP' });
    const scopeDown = writes.Statement.RateBasedStatement?.ScopeDownStatement as
      | {
          OrStatement: {
            Statements: { ByteMatchStatement: { FieldToMatch: unknown; SearchString: string } }[];
          };
        }
      | undefined;
    const methods = (scopeDown?.OrStatement.Statements ?? []).map((st) => {
      expect(st.ByteMatchStatement.FieldToMatch).toEqual({ Method: {} });
      return st.ByteMatchStatement.SearchString;
    });
    expect(methods.sort()).toEqual([...WRITE_METHODS].sort());
    expect(writes.Action).toEqual({ Block: { CustomResponse: { ResponseCode: 429 } } });

    const all = rule(plain, 'RequestsPerIp');
    expect(all.Statement.RateBasedStatement).toEqual({
      Limit: 1500,
      AggregateKeyType: 'IP',
      EvaluationWindowSec: 300,
    });
    expect(all.Action).toEqual({ Block: { CustomResponse: { ResponseCode: 429 } } });
  });

  it('defaults to 300 writes and 3000 requests per IP per 5 minutes', () => {
    expect(rule(withDomain, 'WritesPerIp').Statement.RateBasedStatement?.Limit).toBe(300);
    expect(rule(withDomain, 'RequestsPerIp').Statement.RateBasedStatement?.Limit).toBe(3000);
  });

  it('gives every rule CloudWatch metrics and sampled requests', () => {
    expect(rulesOf(plain)).toHaveLength(6);
    for (const r of rulesOf(plain)) {
      expect(r.VisibilityConfig, r.Name).toMatchObject({
        CloudWatchMetricsEnabled: true,
        SampledRequestsEnabled: true,
      });
    }
  });

  it('logs to an encrypted aws-waf-logs-… group, credentials and tracking codes redacted', () => {
    const { resources } = edgeOf(plain);
    const [groupId, group] = only(resources, 'AWS::Logs::LogGroup');
    expect(prop(group, 'LogGroupName')).toBe('aws-waf-logs-urna-prod');
    expect(prop(group, 'KmsKeyId')).toBeDefined();
    const logging = only(resources, 'AWS::WAFv2::LoggingConfiguration')[1];
    expect(refersTo(prop(logging, 'LogDestinationConfigs'), groupId)).toBe(true);
    expect(refersTo(prop(logging, 'ResourceArn'), only(resources, 'AWS::WAFv2::WebACL')[0])).toBe(true);
    const redacted = prop<{ SingleHeader: { Name: string } }[]>(logging, 'RedactedFields').map(
      (f) => f.SingleHeader.Name,
    );
    expect(redacted).toEqual(expect.arrayContaining(['authorization', 'x-tracking-code', 'x-device-key']));
  });
});

describe('the CloudFront distribution', () => {
  it("is associated with the edge stack's WebACL", () => {
    // Read across regions: an SSM-backed export written by the edge stack.
    const webAclId = JSON.stringify(distribution(plain).WebACLId);
    expect(webAclId).toContain('ExportsReader');
    expect(webAclId).toContain('WebAclArn');
    expect(plain.stack.dependencies).toContain(edgeOf(plain).stack);
  });

  it('passes every method and viewer header but Host to an HTTPS-only origin, caching nothing', () => {
    const config = distribution(plain);
    expect(config.DefaultCacheBehavior).toMatchObject({
      ViewerProtocolPolicy: 'redirect-to-https',
      // Managed policies: CachingDisabled and AllViewerExceptHostHeader.
      CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
      OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
    });
    expect([...config.DefaultCacheBehavior.AllowedMethods].sort()).toEqual(
      ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'].sort(),
    );
    expect(config.Origins).toHaveLength(1);
    expect(config.Origins[0]?.CustomOriginConfig).toMatchObject({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
    });
  });

  it("without a domain: execute-api is the origin, and stays on; the public URL is CloudFront's", () => {
    const api = only(plain.resources, 'AWS::ApiGatewayV2::Api')[1];
    expect(prop(api, 'DisableExecuteApiEndpoint')).toBeFalsy();
    expect(JSON.stringify(distribution(plain).Origins[0]?.DomainName)).toContain('execute-api');
    expect(distribution(plain).Aliases).toBeUndefined();
    expect(JSON.stringify(plain.template.toJSON().Outputs.ApiUrl.Value)).toContain('DomainName');
  });

  it('with a domain: TLS 1.2_2021 on its certificate (us-east-1), origin.<domain> as origin, execute-api off', () => {
    const config = distribution(withDomain);
    expect(config.Aliases).toEqual([DOMAIN]);
    expect(config.ViewerCertificate).toMatchObject({
      MinimumProtocolVersion: 'TLSv1.2_2021',
      SslSupportMethod: 'sni-only',
    });
    const edge = edgeOf(withDomain);
    const [certId, cert] = only(edge.resources, 'AWS::CertificateManager::Certificate');
    expect(prop(cert, 'DomainName')).toBe(DOMAIN);
    expect(JSON.stringify(config.ViewerCertificate?.AcmCertificateArn)).toContain(certId);

    expect(config.Origins[0]?.DomainName).toBe(`origin.${DOMAIN}`);
    const api = only(withDomain.resources, 'AWS::ApiGatewayV2::Api')[1];
    expect(prop(api, 'DisableExecuteApiEndpoint')).toBe(true);
    const domainName = only(withDomain.resources, 'AWS::ApiGatewayV2::DomainName')[1];
    expect(prop(domainName, 'DomainName')).toBe(`origin.${DOMAIN}`);
    expect(prop(domainName, 'DomainNameConfigurations')).toEqual([
      expect.objectContaining({ EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_2' }),
    ]);
    only(withDomain.resources, 'AWS::ApiGatewayV2::ApiMapping');
    // The origin's certificate is the API's region's, validated in the zone.
    expect(prop(only(withDomain.resources, 'AWS::CertificateManager::Certificate')[1], 'DomainName')).toBe(
      `origin.${DOMAIN}`,
    );
    const records = ofType(withDomain.resources, 'AWS::Route53::RecordSet').map(([, r]) => [
      prop(r, 'Name'),
      prop(r, 'Type'),
    ]);
    expect(records).toEqual(
      expect.arrayContaining([
        [`${DOMAIN}.`, 'A'],
        [`${DOMAIN}.`, 'AAAA'],
        [`origin.${DOMAIN}.`, 'A'],
      ]),
    );
    expect(withDomain.template.toJSON().Outputs.ApiUrl.Value).toBe(`https://${DOMAIN}/`);
  });

  it('with given certificates and no zone: no certificate or record made, the records to make as an output', () => {
    const byArn = synth('prod', {
      context: { domainName: DOMAIN, certificateArn: CLOUDFRONT_CERT, originCertificateArn: ORIGIN_CERT },
    });
    expect(ofType(byArn.resources, 'AWS::CertificateManager::Certificate')).toEqual([]);
    expect(ofType(edgeOf(byArn).resources, 'AWS::CertificateManager::Certificate')).toEqual([]);
    expect(ofType(byArn.resources, 'AWS::Route53::RecordSet')).toEqual([]);
    expect(distribution(byArn).ViewerCertificate?.AcmCertificateArn).toBe(CLOUDFRONT_CERT);
    const domainName = only(byArn.resources, 'AWS::ApiGatewayV2::DomainName')[1];
    expect(prop(domainName, 'DomainNameConfigurations')).toEqual([
      expect.objectContaining({ CertificateArn: ORIGIN_CERT }),
    ]);
    expect(prop(only(byArn.resources, 'AWS::ApiGatewayV2::Api')[1], 'DisableExecuteApiEndpoint')).toBe(true);
    expect(Object.keys(byArn.template.toJSON().Outputs)).toContain('DnsRecords');
    expectNagClean(byArn.stack);
  });

  it('tells the HTTP functions to trust one proxy hop for the caller address (per-client limits)', () => {
    const envs = (s: Synthesized) =>
      ofType(s.resources, 'AWS::Lambda::Function').map(
        ([, r]) =>
          (r.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {},
      );
    const behind = envs(plain).filter((v) => v.TRUSTED_PROXY_HOPS === '1');
    expect(behind.length).toBe(ROUTES.reduce((fns, r) => fns.add(r.fn), new Set<string>()).size);
    expect(envs(synth('dev')).some((v) => v.TRUSTED_PROXY_HOPS !== undefined)).toBe(false);
  });

  it('is not built for a stack without a region (a throwaway one), nor with -c edge=false', () => {
    const dev = synth('dev');
    expect(dev.edge).toBeUndefined();
    expect(ofType(dev.resources, 'AWS::CloudFront::Distribution')).toEqual([]);
    expect(prop(only(dev.resources, 'AWS::ApiGatewayV2::Api')[1], 'DisableExecuteApiEndpoint')).toBeFalsy();
    const off = synth('prod', { context: { edge: 'false' } });
    expect(off.edge).toBeUndefined();
    expect(ofType(off.resources, 'AWS::CloudFront::Distribution')).toEqual([]);
  });
});

describe('per-route throttles from configuration', () => {
  const routeSettings = (
    s: Synthesized,
  ): Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> =>
    prop(only(s.resources, 'AWS::ApiGatewayV2::Stage')[1], 'RouteSettings');

  it('land on the stage, over the public-write defaults, which stay for the other routes', () => {
    const settings = routeSettings(plain);
    expect(settings['POST /v1/cases']).toEqual({ ThrottlingRateLimit: 7, ThrottlingBurstLimit: 9 });
    expect(settings['GET /v1/public/entities']).toEqual({
      ThrottlingRateLimit: 30,
      ThrottlingBurstLimit: 60,
    });
    const otherWrite = ROUTES.find(
      (r) => r.method !== 'GET' && !officersOnly(r.access) && `${r.method} ${r.path}` !== 'POST /v1/cases',
    );
    if (otherWrite === undefined) throw new Error('no other public write route');
    expect(settings[`${otherWrite.method} ${otherWrite.path}`]).toEqual({
      ThrottlingRateLimit: 20,
      ThrottlingBurstLimit: 40,
    });
    expect(routeSettings(withDomain)['POST /v1/cases']).toEqual({
      ThrottlingRateLimit: 20,
      ThrottlingBurstLimit: 40,
    });
  });

  it.each([
    ['not JSON', '{POST', /routeThrottles: not JSON/],
    ['a wrong shape', '{"POST /v1/cases":{"rps":"fast"}}', /routeThrottles: .*rps/],
    ['an extra key', '{"POST /v1/cases":{"rps":1,"burst":2,"rate":3}}', /routeThrottles: /],
    [
      'an unknown route',
      '{"POST /v1/nothing":{"rps":1,"burst":2}}',
      /routeThrottles: no route "POST \/v1\/nothing"/,
    ],
  ])('refuses %s', (_, value, error) => {
    expect(() => synth('dev', { context: { routeThrottles: value } })).toThrow(error);
  });
});

describe('edge settings are checked', () => {
  it.each([
    ['a zone without a domain', ZONE, /set -c domainName too/],
    ['a domain without zone or certificates', { domainName: DOMAIN }, /without a hosted zone/],
    ['a bad domain name', { domainName: 'not a host', ...ZONE }, /domainName "not a host"/],
    ['a domain outside its zone', { domainName: 'pqrsd.other.gov.co', ...ZONE }, /not in the hosted zone/],
    ['half a zone', { domainName: DOMAIN, hostedZoneId: ZONE.hostedZoneId }, /give both/],
    [
      'a CloudFront certificate outside us-east-1',
      { domainName: DOMAIN, certificateArn: ORIGIN_CERT, originCertificateArn: ORIGIN_CERT },
      /certificateArn .*us-east-1/,
    ],
    [
      "an origin certificate outside the API's region",
      { domainName: DOMAIN, certificateArn: CLOUDFRONT_CERT, originCertificateArn: CLOUDFRONT_CERT },
      /originCertificateArn .*sa-east-1/,
    ],
    ['a domain with the edge off', { domainName: DOMAIN, ...ZONE, edge: 'false' }, /which is off/],
    ['a WAF limit under 10', { edgeWriteLimit: '5' }, /edgeWriteLimit "5"/],
  ])('refuses %s', (_, context, error) => {
    expect(() => synth('prod', { context })).toThrow(error);
  });
});

function expectNagClean(stack: Stack): void {
  expect(nagFindings(stack)).toEqual([]);
}

describe('cdk-nag, all three packs, over both stacks', () => {
  it('finds nothing unsuppressed, with or without a domain', () => {
    for (const s of [plain, withDomain]) {
      expectNagClean(s.stack);
      expectNagClean(edgeOf(s).stack);
    }
  });

  it('gives the distribution its reasons (no geo restriction, logs in WAF, default certificate without a domain)', () => {
    const ids = (s: Synthesized): string[] => {
      const nag = only(s.resources, 'AWS::CloudFront::Distribution')[1].Metadata?.cdk_nag as
        | { rules_to_suppress: { id: string }[] }
        | undefined;
      return (nag?.rules_to_suppress ?? []).map((r) => r.id);
    };
    expect(ids(plain).sort()).toEqual(['AwsSolutions-CFR1', 'AwsSolutions-CFR3', 'AwsSolutions-CFR4']);
    expect(ids(withDomain).sort()).toEqual(['AwsSolutions-CFR1', 'AwsSolutions-CFR3']);
  });
});

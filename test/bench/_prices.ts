/**
 * On-demand prices the cost bench (`npm run bench -- cost`) multiplies by: AWS list prices in
 * sa-east-1 (São Paulo, the region cdk.json pins), in US dollars per unit, without free tiers.
 * Dated: update them together, with the date. Found from stored copies of public price lists (no
 * live access here); where sa-east-1 was not found, the us-east-1 price or a ratio, as said.
 */
export const PRICES = {
  asOf: '2026-12-04',
  region: 'sa-east-1',
  /**
   * DynamoDB on-demand, per request unit: us-east-1 $0.625 / $0.125 per million after the
   * November 2024 cut; sa-east-1 is 1.5× (its read unit seen at $0.0000001875 in a price list).
   */
  dynamodb: { writeUnit: 0.9375e-6, readUnit: 0.1875e-6 },
  /** Lambda on Arm: per request and per GB-second, as in us-east-1 (sa-east-1 x86 matches us-east-1). */
  lambda: { request: 0.2e-6, gbSecond: 0.0000133334 },
  /** API Gateway HTTP API, per request (first 300 million a month; us-east-1 $1.00). */
  httpApi: { request: 1.59e-6 },
  /** CloudFront HTTPS requests, South America ($0.0220 per 10,000); AWS WAF, all regions ($0.60 per million). */
  cloudfront: { request: 0.022e-4 },
  waf: { request: 0.6e-6 },
  /** SQS standard, per request (64 KB chunk): us-east-1's price, not found for sa-east-1. */
  sqs: { request: 0.4e-6 },
  /** EventBridge Pipes, per request after filtering (64 KB chunk): us-east-1's price. */
  pipes: { request: 0.4e-6 },
  /** KMS per request: asymmetric (Sign with Ed25519: $0.15 per 10,000) and symmetric ($0.03). */
  kms: { asymmetricRequest: 0.15e-4, symmetricRequest: 0.03e-4 },
  /** CloudWatch Logs ingestion (standard class), per GB, sa-east-1. */
  logs: { ingestGb: 0.9 },
  /** SES, per e-mail ($0.10 per 1,000). SMS to Colombia: no price found, counted, not priced. */
  ses: { email: 0.1e-3 },
} as const;

/**
 * Keys in KMS (infra/constructs/Keys.ts, docs/adr/0016-keys-in-kms.md): an Ed25519 key signs the
 * receipts, an HMAC key per version keys the pseudonyms; only the functions that sign may Sign,
 * only those that make pseudonyms may GenerateMac, and no role can read a private key or a secret.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS, KEYS_ENV } from '../../infra/catalog.ts';
import {
  actionsOf,
  logicalId,
  type PolicyStatementJson,
  prop,
  refersTo,
  resource,
  type Synthesized,
  synth,
} from './support.ts';

let dev: Synthesized;
let rotated: Synthesized;
beforeAll(() => {
  dev = synth('dev');
  rotated = synth('dev', { context: { receiptKeyVersions: '2', pseudonymKeyVersions: '2' } });
});

const keysOf = (s: Synthesized) => ({
  receipts: s.stack.keys.receiptKeys.map((k) => logicalId(s.stack, k)),
  pseudonyms: s.stack.keys.pseudonymKeys.map((k) => logicalId(s.stack, k)),
});

/** Each role's logical id → the resources of every statement that allows `action`. */
function grantsOf(s: Synthesized, action: string): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  for (const policy of Object.values(s.resources).filter((r) => r.Type === 'AWS::IAM::Policy')) {
    const statements = prop<{ Statement: PolicyStatementJson[] }>(policy, 'PolicyDocument').Statement;
    const allowed = statements.filter((st) => st.Effect === 'Allow' && actionsOf(st).includes(action));
    for (const role of prop<{ Ref: string }[]>(policy, 'Roles')) {
      for (const st of allowed) out.set(role.Ref, [...(out.get(role.Ref) ?? []), st.Resource]);
    }
  }
  return out;
}

const roleOf = (s: Synthesized, name: string) => logicalId(s.stack, s.stack.functions.get(name)!.role);
const rolesOf = (s: Synthesized, pick: (spec: (typeof FUNCTIONS)[number]) => boolean) =>
  FUNCTIONS.filter(pick)
    .map((f) => roleOf(s, f.name))
    .sort();
const envOf = (s: Synthesized, name: string) =>
  prop<{ Variables: Record<string, unknown> }>(
    resource(s.resources, logicalId(s.stack, s.stack.functions.get(name)!.function)),
    'Environment',
  ).Variables;

describe('keys in KMS', () => {
  it('are an Ed25519 signing key and an HMAC key, with aliases, gone with a throwaway stage only', () => {
    const { receipts, pseudonyms } = keysOf(dev);
    expect([receipts.length, pseudonyms.length]).toEqual([1, 1]);
    const receipt = resource(dev.resources, receipts[0]!);
    const pseudonym = resource(dev.resources, pseudonyms[0]!);
    expect([prop(receipt, 'KeySpec'), prop(receipt, 'KeyUsage')]).toEqual([
      'ECC_NIST_EDWARDS25519',
      'SIGN_VERIFY',
    ]);
    expect([prop(pseudonym, 'KeySpec'), prop(pseudonym, 'KeyUsage')]).toEqual([
      'HMAC_256',
      'GENERATE_VERIFY_MAC',
    ]);
    const aliases = Object.values(dev.resources).filter((r) => r.Type === 'AWS::KMS::Alias');
    for (const [id, name] of [
      [receipts[0]!, 'alias/urna-dev-receipts-v1'],
      [pseudonyms[0]!, 'alias/urna-dev-pseudonyms-v1'],
    ] as const) {
      expect(aliases.some((a) => prop(a, 'AliasName') === name && refersTo(prop(a, 'TargetKeyId'), id))).toBe(
        true,
      );
      expect(resource(dev.resources, id).DeletionPolicy).toBe('Delete');
    }
    const prod = synth('prod');
    for (const key of [...prod.stack.keys.receiptKeys, ...prod.stack.keys.pseudonymKeys]) {
      expect(resource(prod.resources, logicalId(prod.stack, key)).DeletionPolicy).toBe('Retain');
    }
  });

  it('let only the functions that sign receipts Sign, with the current key only', () => {
    const { receipts } = keysOf(dev);
    const sign = grantsOf(dev, 'kms:Sign');
    expect([...sign.keys()].sort()).toEqual(rolesOf(dev, (f) => f.receipts === 'sign'));
    for (const resources of sign.values()) {
      expect(resources).toEqual([{ 'Fn::GetAtt': [receipts[0], 'Arn'] }]);
    }
    expect(rolesOf(dev, (f) => f.receipts === 'sign')).toContain(roleOf(dev, 'FileCase'));
    expect(rolesOf(dev, (f) => f.receipts === 'sign')).not.toContain(roleOf(dev, 'Receipts'));
  });

  it('let the verifier and the signers read public keys, and only those', () => {
    const getPublicKey = grantsOf(dev, 'kms:GetPublicKey');
    expect([...getPublicKey.keys()].sort()).toEqual(rolesOf(dev, (f) => f.receipts !== undefined));
    expect(envOf(dev, 'Receipts')[KEYS_ENV.receiptKeyId]).toEqual({
      'Fn::GetAtt': [keysOf(dev).receipts[0], 'Arn'],
    });
    expect(envOf(dev, 'Receipts')[KEYS_ENV.retiredReceiptKeyIds]).toBeUndefined();
  });

  it('let only the functions that make pseudonyms GenerateMac, on the pseudonym keys only', () => {
    const { pseudonyms } = keysOf(dev);
    const mac = grantsOf(dev, 'kms:GenerateMac');
    expect([...mac.keys()].sort()).toEqual(rolesOf(dev, (f) => f.pseudonyms === true));
    for (const resources of mac.values())
      expect(resources).toEqual([{ 'Fn::GetAtt': [pseudonyms[0], 'Arn'] }]);
    expect(rolesOf(dev, (f) => f.pseudonyms === true)).not.toContain(roleOf(dev, 'Receipts'));
  });

  it('leave no secret to read, and no role may decrypt with or administer these keys', () => {
    expect(Object.values(dev.resources).filter((r) => r.Type.startsWith('AWS::SecretsManager::'))).toEqual(
      [],
    );
    const ids = [...keysOf(dev).receipts, ...keysOf(dev).pseudonyms];
    for (const policy of Object.values(dev.resources).filter((r) => r.Type === 'AWS::IAM::Policy')) {
      for (const st of prop<{ Statement: PolicyStatementJson[] }>(policy, 'PolicyDocument').Statement) {
        expect(actionsOf(st).some((a) => a.startsWith('secretsmanager:'))).toBe(false);
        if (!ids.some((id) => refersTo(st.Resource, id))) continue;
        for (const action of actionsOf(st)) {
          expect(['kms:Sign', 'kms:GetPublicKey', 'kms:GenerateMac']).toContain(action);
        }
      }
    }
  });
});

describe('a key rotation', () => {
  it('signs with the new receipt key, still publishes the retired one, and hashes under both pseudonym keys', () => {
    const { receipts, pseudonyms } = keysOf(rotated);
    expect([receipts.length, pseudonyms.length]).toEqual([2, 2]);
    const arn = (id: string | undefined) => ({ 'Fn::GetAtt': [id, 'Arn'] });
    for (const resources of grantsOf(rotated, 'kms:Sign').values())
      expect(resources).toEqual([arn(receipts[1])]);
    expect(envOf(rotated, 'FileCase')[KEYS_ENV.receiptKeyId]).toEqual(arn(receipts[1]));
    expect(envOf(rotated, 'Receipts')[KEYS_ENV.retiredReceiptKeyIds]).toEqual(arn(receipts[0]));
    expect(grantsOf(rotated, 'kms:GetPublicKey').get(roleOf(rotated, 'Receipts'))).toEqual([
      arn(receipts[0]),
      arn(receipts[1]),
    ]);
    // Version 1 first, the current one last: the order the pseudonyms' versions are numbered in.
    expect(envOf(rotated, 'SupportProposal')[KEYS_ENV.pseudonymKeyIds]).toEqual({
      'Fn::Join': ['', [arn(pseudonyms[0]), ',', arn(pseudonyms[1])]],
    });
    expect(grantsOf(rotated, 'kms:GenerateMac').get(roleOf(rotated, 'SupportProposal'))).toEqual([
      arn(pseudonyms[0]),
      arn(pseudonyms[1]),
    ]);
  });
});

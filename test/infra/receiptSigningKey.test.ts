import type { CloudFormationCustomResourceEvent, CloudFormationCustomResourceResponse } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  handleEvent,
  isEd25519PrivateJwk,
  newSigningJwk,
  type SigningKeySecretStore,
} from '../../infra/constructs/receiptSigningKey/handler.ts';
import { Ed25519ReceiptSigner } from '../../shared/adapters/receipts/ed25519Signer.ts';

const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:urna-key-AbCdEf';

function event(type: 'Create' | 'Update' | 'Delete'): CloudFormationCustomResourceEvent {
  const common = {
    ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:gen',
    ResponseURL: 'https://cloudformation-custom-resource-response.example/put',
    StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/urna-dev/1',
    RequestId: '6f1c3c1e-8a3b-4b8e-9d4e-1f2a3b4c5d6e',
    LogicalResourceId: 'ReceiptSigningKey',
    ResourceType: 'Custom::UrnaReceiptSigningKey',
    ResourceProperties: { ServiceToken: 'x', SecretId: SECRET },
  };
  if (type === 'Create') return { ...common, RequestType: 'Create' };
  if (type === 'Update') {
    return {
      ...common,
      RequestType: 'Update',
      PhysicalResourceId: 'pid',
      OldResourceProperties: common.ResourceProperties,
    };
  }
  return { ...common, RequestType: 'Delete', PhysicalResourceId: 'pid' };
}

function fakeStore(initial: string | undefined, failWith?: Error) {
  const puts: { secretId: string; value: string; token: string }[] = [];
  let value = initial;
  const store: SigningKeySecretStore = {
    async read() {
      if (failWith) throw failWith;
      return value;
    },
    async put(secretId, next, token) {
      puts.push({ secretId, value: next, token });
      value = next;
    },
  };
  return { store, puts };
}

function recorder() {
  const responses: { url: string; body: CloudFormationCustomResourceResponse }[] = [];
  return {
    responses,
    respond: async (url: string, body: CloudFormationCustomResourceResponse) =>
      void responses.push({ url, body }),
  };
}

describe('receipt signing key custom resource', () => {
  it('generates a key the receipt signer accepts when the secret holds the placeholder', async () => {
    // Prepare
    const { store, puts } = fakeStore('generated-placeholder-password');
    const { responses, respond } = recorder();
    // Act
    await handleEvent(event('Create'), store, respond);
    // Assess
    expect(puts).toHaveLength(1);
    expect(puts[0]?.secretId).toBe(SECRET);
    expect(puts[0]?.token).toBe(event('Create').RequestId);
    expect(isEd25519PrivateJwk(puts[0]?.value)).toBe(true);
    const signer = await Ed25519ReceiptSigner.fromJwk(puts[0]?.value ?? '');
    const jws = await signer.sign({ radicado: 'MINTIC-2026-000001' });
    expect(await signer.verify(jws)).toMatchObject({ radicado: 'MINTIC-2026-000001' });
    expect(responses).toEqual([
      {
        url: event('Create').ResponseURL,
        body: expect.objectContaining({
          Status: 'SUCCESS',
          PhysicalResourceId: `${SECRET}/receipt-signing-key`,
          Data: { Generated: 'true' },
        }),
      },
    ]);
    // The key never travels in the response.
    expect(JSON.stringify(responses)).not.toContain(JSON.parse(puts[0]?.value ?? '{}').d);
  });

  it('keeps a valid key already in the secret (an operator import, or a later update)', async () => {
    const existing = newSigningJwk();
    for (const type of ['Create', 'Update'] as const) {
      const { store, puts } = fakeStore(existing);
      const { responses, respond } = recorder();
      await handleEvent(event(type), store, respond);
      expect(puts).toEqual([]);
      expect(responses[0]?.body).toMatchObject({ Status: 'SUCCESS', Data: { Generated: 'false' } });
    }
  });

  it('does nothing on Delete and keeps the physical id', async () => {
    const { store, puts } = fakeStore(undefined, new Error('must not be called'));
    const { responses, respond } = recorder();
    await handleEvent(event('Delete'), store, respond);
    expect(puts).toEqual([]);
    expect(responses[0]?.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'pid' });
  });

  it('answers FAILED with the reason instead of leaving CloudFormation waiting', async () => {
    const { store } = fakeStore(undefined, new Error('AccessDeniedException: not allowed'));
    const { responses, respond } = recorder();
    await handleEvent(event('Create'), store, respond);
    expect(responses[0]?.body).toMatchObject({
      Status: 'FAILED',
      Reason: 'AccessDeniedException: not allowed',
    });
  });

  it('recognises only Ed25519 private JWKs', () => {
    expect(isEd25519PrivateJwk(undefined)).toBe(false);
    expect(isEd25519PrivateJwk('not json')).toBe(false);
    expect(isEd25519PrivateJwk(JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: 'abc' }))).toBe(false);
    expect(isEd25519PrivateJwk(JSON.stringify({ kty: 'EC', crv: 'P-256', x: 'a', d: 'b' }))).toBe(false);
    expect(isEd25519PrivateJwk(newSigningJwk())).toBe(true);
  });
});

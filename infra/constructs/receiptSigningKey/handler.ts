/**
 * CloudFormation custom resource: makes sure the receipt signing secret holds an Ed25519 private
 * JWK. On Create (and Update) it reads the secret; if the value is not such a key yet (the
 * placeholder Secrets Manager generated), it generates one inside AWS and puts it. A key already
 * there, an operator's or an earlier one, is kept: receipts signed with it stay verifiable. Delete
 * does nothing (the secret's own removal policy decides).
 *
 * Bundled like every Urna function (ServerlessFunction), not part of the catalog: the local
 * runtime passes the JWK in RECEIPT_SIGNING_KEY instead.
 */
import { generateKeyPairSync } from 'node:crypto';
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { CloudFormationCustomResourceEvent, CloudFormationCustomResourceResponse } from 'aws-lambda';

export interface SigningKeySecretStore {
  read(secretId: string): Promise<string | undefined>;
  put(secretId: string, value: string, idempotencyToken: string): Promise<void>;
}

export type Respond = (url: string, body: CloudFormationCustomResourceResponse) => Promise<void>;

/** A fresh Ed25519 private JWK (kty OKP, crv Ed25519, x, d); the signer derives the kid. */
export function newSigningJwk(): string {
  const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
  return JSON.stringify(jwk);
}

export function isEd25519PrivateJwk(value: string | undefined): boolean {
  if (value === undefined) return false;
  try {
    const jwk = JSON.parse(value) as Record<string, unknown>;
    return (
      jwk.kty === 'OKP' && jwk.crv === 'Ed25519' && typeof jwk.d === 'string' && typeof jwk.x === 'string'
    );
  } catch {
    return false;
  }
}

/** Puts a new key unless one is there; returns whether it generated one. */
export async function ensureSigningKey(
  store: SigningKeySecretStore,
  secretId: string,
  idempotencyToken: string,
): Promise<boolean> {
  if (isEd25519PrivateJwk(await store.read(secretId))) return false;
  await store.put(secretId, newSigningJwk(), idempotencyToken);
  return true;
}

export async function handleEvent(
  event: CloudFormationCustomResourceEvent,
  store: SigningKeySecretStore,
  respond: Respond,
): Promise<void> {
  const secretId = String(event.ResourceProperties.SecretId ?? '');
  const physicalId =
    event.RequestType === 'Create' ? `${secretId}/receipt-signing-key` : event.PhysicalResourceId;
  const base = {
    PhysicalResourceId: physicalId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  };
  let response: CloudFormationCustomResourceResponse;
  try {
    let generated = false;
    if (event.RequestType !== 'Delete') {
      if (secretId === '') throw new Error('SecretId property missing');
      generated = await ensureSigningKey(store, secretId, event.RequestId);
    }
    response = { ...base, Status: 'SUCCESS', Data: { Generated: String(generated) } };
  } catch (error) {
    // Never the key, only what went wrong; CloudFormation shows it in the stack events.
    response = {
      ...base,
      Status: 'FAILED',
      Reason: error instanceof Error ? error.message : 'unknown error',
    };
  }
  // Always answer: a custom resource without an answer blocks the stack for an hour.
  await respond(event.ResponseURL, response);
}

const secretsManager = new SecretsManagerClient({});

const awsStore: SigningKeySecretStore = {
  async read(secretId) {
    const out = await secretsManager.send(new GetSecretValueCommand({ SecretId: secretId }));
    return out.SecretString;
  },
  async put(secretId, value, idempotencyToken) {
    await secretsManager.send(
      new PutSecretValueCommand({
        SecretId: secretId,
        SecretString: value,
        ClientRequestToken: idempotencyToken,
      }),
    );
  },
};

const respondToCloudFormation: Respond = async (url, body) => {
  const json = JSON.stringify(body);
  // The pre-signed S3 URL expects no content type.
  const res = await fetch(url, { method: 'PUT', body: json, headers: { 'content-type': '' } });
  if (!res.ok) throw new Error(`CloudFormation response rejected: ${res.status}`);
};

export const handler = (event: CloudFormationCustomResourceEvent): Promise<void> =>
  handleEvent(event, awsStore, respondToCloudFormation);

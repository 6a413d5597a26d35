/** Verify a filing receipt: the signature, and that it matches what the registry holds. */
import type { CaseStore, ReceiptSigner } from '#ports/index.ts';

export async function verifyReceipt(
  deps: { cases: Pick<CaseStore, 'receiptFacts'>; signer: ReceiptSigner },
  receipt: string,
) {
  const payload = await deps.signer.verify(receipt);
  if (!payload)
    return { valid: false as const, reason: 'the signature does not verify with the published key' };
  const radicado = typeof payload.radicado === 'string' ? payload.radicado : '';
  const record = radicado ? await deps.cases.receiptFacts(radicado) : undefined;
  const matches =
    record !== undefined &&
    record.receivedAt === payload.receivedAt &&
    record.contentSha256 === payload.contentSha256 &&
    record.entityId === payload.entityId;
  return {
    valid: true as const,
    registered: matches,
    receipt: {
      radicado,
      entityId: String(payload.entityId),
      receivedAt: String(payload.receivedAt),
      dueDate: String(payload.dueDate),
      contentSha256: String(payload.contentSha256),
      issuedAt: typeof payload.iat === 'number' ? new Date(payload.iat * 1000).toISOString() : null,
    },
  };
}

/** Verifying a filing receipt (receipts.ts): the signature, and whether the registry holds that filing. */
import { describe, expect, it } from 'vitest';
import { verifyReceipt } from '#app/receipts.ts';
import { testSigner } from '#test/support/fakes/index.ts';
import { file, NOW, world } from './world.ts';

describe('verifyReceipt', () => {
  it('holds for a filing’s receipt, and the registry recognises it', async () => {
    // Prepare
    const w = await world();
    const { record, receipt } = await file(w);

    // Act
    const verdict = await verifyReceipt(w, receipt);

    // Assess
    expect(verdict).toEqual({
      valid: true,
      registered: true,
      receipt: {
        radicado: record.radicado,
        entityId: 'MINTIC',
        receivedAt: NOW,
        dueDate: record.dueDate,
        contentSha256: record.contentSha256,
        issuedAt: NOW,
      },
    });
  });

  it('refuses a receipt whose signature does not hold: tampered, another key, junk', async () => {
    const w = await world();
    const { record, receipt } = await file(w);
    const [header, , signature] = receipt.split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify({ radicado: record.radicado, iss: 'urna' })).toString('base64url')}.${signature}`;
    const foreign = await (await testSigner(w.clock)).sign({ radicado: record.radicado });
    for (const bad of [forged, foreign, 'junk', '']) {
      expect(await verifyReceipt(w, bad)).toEqual({
        valid: false,
        reason: 'the signature does not verify with the published key',
      });
    }
  });

  it('says a genuine signature over what the registry does not hold is not registered', async () => {
    // Prepare: signed with the service's key, but for content or a case the registry lacks.
    const w = await world();
    const { record } = await file(w);
    const payload = {
      radicado: record.radicado,
      entityId: record.entityId,
      receivedAt: record.receivedAt,
      dueDate: record.dueDate,
      contentSha256: record.contentSha256,
    };
    const otherContent = await w.signer.sign({ ...payload, contentSha256: '0'.repeat(64) });
    const otherTime = await w.signer.sign({ ...payload, receivedAt: '2026-03-02T15:00:00.000Z' });
    const unknown = await w.signer.sign({ ...payload, radicado: 'MINTIC-2026-999999' });
    const noRadicado = await w.signer.sign({ entityId: 'MINTIC' });

    // Act & Assess
    for (const jws of [otherContent, otherTime, unknown]) {
      expect(await verifyReceipt(w, jws)).toMatchObject({ valid: true, registered: false });
    }
    expect(await verifyReceipt(w, noRadicado)).toMatchObject({
      valid: true,
      registered: false,
      receipt: { radicado: '' },
    });
  });
});

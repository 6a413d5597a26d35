/** Receipt verification and the public keys: one function, the key loaded once. */
import { verifyReceipt } from '#app/receipts.ts';
import { on, serve } from '#http/handler.ts';
import { jwksRoute, verifyReceiptRoute } from '#http/routes/public.ts';
import { cases, signer } from '../deps.ts';

const deps = { cases: cases(), signer: await signer() };

export const handler = serve([
  on(verifyReceiptRoute, async ({ query }) => ({
    status: 200,
    body: await verifyReceipt(deps, query.receipt),
  })),
  on(jwksRoute, async () => ({ status: 200, body: await deps.signer.jwks() })),
]);

/**
 * The CDK app (cdk.json: `npx tsx infra/bin/app.ts`). `npm run synth` works offline, without
 * Docker: esbuild bundles locally. Settings: see createApp.ts.
 */
import { createApp } from './createApp.ts';

createApp().app.synth();

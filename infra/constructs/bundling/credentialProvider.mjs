// `@aws-sdk/credential-provider-node` in every function bundle (BUNDLING.alias in
// ../ServerlessFunction.ts): Lambda gives the role's credentials in the environment, so the
// chain's other providers never answer there. Why: docs/adr/0006-bundling-shims.md
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (init = {}) => fromEnv(init);

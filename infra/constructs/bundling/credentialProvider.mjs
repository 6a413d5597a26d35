// `@aws-sdk/credential-provider-node` in every function bundle (BUNDLING.alias in
// ../ServerlessFunction.ts). Lambda hands each function its role's credentials in the
// environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN): the default chain's
// other sources (shared files, SSO, web identity, the container and instance endpoints) never
// answer there, yet their code and the STS/SSO clients they bring are loaded at every cold start.
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (init = {}) => fromEnv(init);

/** What the verifiers use of jose: imported lazily (auth.ts), so only these are bundled. */
export { createRemoteJWKSet, errors, jwtVerify } from 'jose';

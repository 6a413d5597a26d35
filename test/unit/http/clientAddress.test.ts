import { describe, expect, it } from 'vitest';
import { clientAddress } from '../../../shared/http/handler.ts';

describe('the caller address the per-client limits key on', () => {
  it('is the connection itself when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(clientAddress('203.0.113.7', '198.51.100.1', 0)).toBe('203.0.113.7');
  });

  it('behind CloudFront, is the viewer address CloudFront appended, not what the client forged', () => {
    // API Gateway sees CloudFront's address; CloudFront appended the viewer's after the forged one.
    expect(clientAddress('130.176.0.9', '10.0.0.1, 190.24.5.6', 1)).toBe('190.24.5.6');
    // The same when the last proxy's own address is already the chain's last entry.
    expect(clientAddress('130.176.0.9', '10.0.0.1, 190.24.5.6, 130.176.0.9', 1)).toBe('190.24.5.6');
    expect(clientAddress('130.176.0.9', '190.24.5.6', 1)).toBe('190.24.5.6');
  });

  it('falls back to the connection when the chain is shorter than the trusted hops', () => {
    expect(clientAddress('130.176.0.9', undefined, 1)).toBe('130.176.0.9');
    expect(clientAddress('130.176.0.9', ' , ', 2)).toBe('130.176.0.9');
  });
});

/** Start-up failures come out as one line that says what to do. */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkJava, parseJavaMajor } from '#infra/local/dynamodb.ts';
import { LocalSystemError } from '#infra/local/errors.ts';
import { startLocalSystem } from '#infra/local/system.ts';

let busy: Server;
let busyPort: number;

beforeAll(async () => {
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  const address = busy.address();
  busyPort = typeof address === 'object' && address !== null ? address.port : 0;
});
afterAll(() => new Promise<void>((resolve) => busy.close(() => resolve())));

describe('a busy port', () => {
  it('fails at once with a one-line explanation, before any emulator starts', async () => {
    const started = Date.now();
    const failure = startLocalSystem({ port: busyPort, log: () => {} });
    await expect(failure).rejects.toBeInstanceOf(LocalSystemError);
    await expect(failure).rejects.toThrow(`port ${busyPort} is already in use`);
    expect(Date.now() - started).toBeLessThan(1000);
    const message = await failure.catch((e: unknown) => (e as Error).message);
    expect(message).not.toContain('\n');
    expect(message).toContain('PORT=');
  });
});

describe('Java', () => {
  it('reads the major version from java -version', () => {
    expect(parseJavaMajor('openjdk version "17.0.15" 2025-04-15')).toBe(17);
    expect(parseJavaMajor('java version "1.8.0_311"')).toBe(8);
    expect(parseJavaMajor('openjdk version "21" 2023-09-19')).toBe(21);
    expect(parseJavaMajor('nonsense')).toBeUndefined();
  });

  it('says what to install when java is missing', async () => {
    const failure = checkJava('/nonexistent/bin/java');
    await expect(failure).rejects.toBeInstanceOf(LocalSystemError);
    await expect(failure).rejects.toThrow(/Java was not found.*install a Java 17 or newer, a JDK/);
  });
});

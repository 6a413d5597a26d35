/**
 * `.local/env.json`: what a running `npm start` tells other local processes (`npm run invoke`):
 * its pid, base URL and the handlers' environment. Written on start, removed on a clean stop.
 * It holds the local receipt signing key, so it is private to the user (mode 600; .local/ is
 * git-ignored).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './lambda.ts';

export const STATE_FILE = join(PROJECT_ROOT, '.local', 'env.json');

export interface LocalState {
  pid: number;
  baseUrl: string;
  startedAt: string;
  env: Record<string, string>;
}

export function writeState(state: LocalState, file = STATE_FILE): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

export function removeState(file = STATE_FILE): void {
  rmSync(file, { force: true });
}

/** Whether a process exists (one of another user's counts: EPERM). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The state of a running `npm start`, or undefined (no file, unreadable, or its process is gone). */
export function readState(file = STATE_FILE): LocalState | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const state = parsed as Partial<LocalState>;
  if (typeof state.pid !== 'number' || typeof state.env !== 'object' || state.env === null) return undefined;
  if (!alive(state.pid)) return undefined;
  return state as LocalState;
}

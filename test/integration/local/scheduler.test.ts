/** The local scheduler hands schedule-triggered functions a real EventBridge ScheduledEvent. */
import type { ScheduledEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FunctionRunner } from '#infra/local/lambda.ts';
import { startScheduler } from '#infra/local/scheduler.ts';
import { FIXTURE_FUNCTIONS } from '#test/support/fixtures/functions.ts';
import { journal } from '#test/support/fixtures/journal.ts';
import { type LocalSystem, useLocalSystem } from '#test/support/localEnv.ts';

let system: LocalSystem;

beforeAll(async () => {
  system = await useLocalSystem({ functions: FIXTURE_FUNCTIONS, pollers: false, schedulers: false });
});
afterAll(() => system?.stop());

describe('fire()', () => {
  it('runs a scheduled function now with a ScheduledEvent and returns its result', async () => {
    // Act
    const result = (await system.fire('Tick')) as { fired: string };
    // Assess
    const entry = journal().find((e) => e.fn === 'Tick');
    const event = entry?.event as ScheduledEvent;
    expect(result.fired).toBe(event.id);
    expect(event).toMatchObject({
      version: '0',
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '000000000000',
      region: 'us-east-1',
      resources: ['arn:aws:events:us-east-1:000000000000:rule/urna-Tick'],
      detail: {},
    });
    expect(event.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(entry?.context.functionName).toBe('urna-Tick');
  });

  it('refuses a function that is not schedule-triggered', async () => {
    await expect(system.fire('Echo')).rejects.toThrow(
      /Echo is not a schedule-triggered function \(those are: Tick\)/,
    );
  });
});

describe('the timers', () => {
  it('fire each scheduled function every everyMinutes, first one period after start', async () => {
    // Prepare
    vi.useFakeTimers();
    const invoked: { name: string; event: ScheduledEvent }[] = [];
    const runner: FunctionRunner = {
      invoke: async (fn, event) => {
        invoked.push({ name: fn.name, event: event as ScheduledEvent });
        return undefined;
      },
      running: () => 0,
      idle: async () => undefined,
    };
    const scheduler = startScheduler({
      functions: FIXTURE_FUNCTIONS,
      runner,
      region: 'us-east-1',
      log: () => {},
    });
    try {
      // Act / Assess
      await vi.advanceTimersByTimeAsync(59_000);
      expect(invoked).toEqual([]);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(invoked.map((i) => i.name)).toEqual(['Tick']);
      await vi.advanceTimersByTimeAsync(120_000);
      expect(invoked.map((i) => i.name)).toEqual(['Tick', 'Tick', 'Tick']);
      expect(new Set(invoked.map((i) => i.event.id)).size).toBe(3);
    } finally {
      await scheduler.stop();
      vi.useRealTimers();
    }
  });
});

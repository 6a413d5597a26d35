import { describe, expect, it } from 'vitest';
import { fixedWindow, minutesToWait } from '#domain/limits.ts';

describe('fixedWindow', () => {
  it('aligns windows on the epoch: quarter hours, hours; Retry-After to the end; kept a window more', () => {
    const w = fixedWindow(new Date('2026-12-03T19:07:30.400Z'), 900);
    expect(new Date(Number(w.id) * 1000).toISOString()).toBe('2026-12-03T19:00:00.000Z');
    expect(w.retryAfterSeconds).toBe(450);
    expect(w.expiresAt).toBe(Number(w.id) + 1800);
    expect(fixedWindow(new Date('2026-12-03T19:14:59.999Z'), 900).id).toBe(w.id);
    expect(fixedWindow(new Date('2026-12-03T19:15:00.000Z'), 900).id).not.toBe(w.id);
    expect(fixedWindow(new Date('2026-12-03T19:59:59.000Z'), 3600).retryAfterSeconds).toBe(1);
  });

  it('says the wait in whole minutes, singular and plural', () => {
    expect(minutesToWait(44)).toEqual({ es: '1 minuto', en: '1 minute' });
    expect(minutesToWait(61)).toEqual({ es: '2 minutos', en: '2 minutes' });
    expect(minutesToWait(900)).toEqual({ es: '15 minutos', en: '15 minutes' });
  });
});

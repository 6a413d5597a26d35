/**
 * Radicado: `<ENTITY>-<YYYY>-<NNNNNN>`, consecutive per entity and year, never reused, never skipped.
 * The number is at least six digits; a year past 999,999 filings simply grows a digit.
 */
import { pattern } from '../issues.ts';

export const RADICADO_PATTERN = pattern(
  /^([A-Z][A-Z0-9_]{1,19})-(\d{4})-(\d{6,9})$/,
  'un radicado como MINTIC-2026-000001',
  'a radicado such as MINTIC-2026-000001',
);

export function formatRadicado(entityId: string, year: number, seq: number): string {
  if (!Number.isInteger(seq) || seq < 1)
    throw new RangeError(`radicado sequence must be a positive integer: ${seq}`);
  return `${entityId}-${year}-${String(seq).padStart(6, '0')}`;
}

export function parseRadicado(value: string): { entityId: string; year: number; seq: number } | undefined {
  const m = RADICADO_PATTERN.exec(value);
  if (!m) return undefined;
  return { entityId: m[1]!, year: Number(m[2]), seq: Number(m[3]) };
}

/**
 * Inline SVG charts, each a <figure>: the drawing (role="img", with a title and a one-sentence
 * description of the data for screen readers), its caption, and the same figures as a table.
 * Colour is never the only cue: stacked charts draw a legend with text, their colours differ in
 * lightness (readable in grayscale) and white gaps separate the segments. The SVG has a fixed
 * viewBox and scales to its container; every text in it is escaped. Pure.
 */
import { type Locale, num } from './format.ts';
import { type Cell, escapeHtml as e, table } from './layout.ts';

/** Series colours of different lightness, each ≥ 3:1 against white (WCAG 1.4.11). */
export const COLORS = {
  good: '#123f22',
  bad: '#c62828',
  neutral: '#909090',
  /** Closed without an answer of the entity's own (forwarded, withdrawn): a light blue, 4:1 on white. */
  other: '#5b7fa6',
  single: '#1f4e79',
} as const;

const W = 480;
const INK = '#1a1a1a';
const ROW = 44;
/** What stands in for a chart, or a table, with nothing to show. */
export const NO_DATA: Record<Locale, string> = {
  es: 'Sin datos en este periodo.',
  en: 'No data in this period.',
};

interface ChartBase {
  /** Unique on the page: the SVG's title and description ids derive from it. */
  id: string;
  title: string;
  /** A sentence under the title: what is counted, and how. */
  caption: string;
  locale: Locale;
  /** The header of the table's first column (what each row is: month, kind, section…). */
  rowHead: string;
}

export interface Series {
  key: string;
  label: string;
  color: string;
}

/** A label cut to fit its line in the drawing (the table beside it has it whole). */
function clip(label: string, max = 46): string {
  const chars = Array.from(label);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : label;
}

const text = (x: number, y: number, s: string, attrs = '') =>
  `<text x="${x}" y="${y}" fill="${INK}"${attrs}>${e(s)}</text>`;
const rect = (x: number, y: number, w: number, h: number, fill: string) =>
  `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${w.toFixed(1)}" height="${h.toFixed(1)}" fill="${fill}" stroke="#fff" stroke-width="1"/>`;

const figcaption = (base: ChartBase) =>
  `<figcaption><strong>${e(base.title)}</strong>${e(base.caption)}</figcaption>`;

function figure(base: ChartBase, desc: string, height: number, drawing: string, data: string): string {
  const id = e(base.id);
  return `<figure>
${figcaption(base)}
<svg role="img" aria-labelledby="${id}-t ${id}-d" viewBox="0 0 ${W} ${height}" font-family="system-ui, sans-serif" font-size="14">
<title id="${id}-t">${e(base.title)}</title>
<desc id="${id}-d">${e(desc)}</desc>
${drawing}
</svg>
${data}
</figure>`;
}

const empty = (base: ChartBase) => `<figure>
${figcaption(base)}
<p>${NO_DATA[base.locale]}</p>
</figure>`;

/** Swatches with their labels, wrapped to the width; returns the drawing and its height. */
function legend(series: readonly Series[]): { svg: string; height: number } {
  let x = 0;
  let y = 0;
  const parts = series.map((s) => {
    // About 8 units a character at 14 px, plus the swatch and a gap.
    const width = 28 + Array.from(s.label).length * 8;
    if (x > 0 && x + width > W) {
      x = 0;
      y += 22;
    }
    const part = `${rect(x, y + 2, 14, 14, s.color)}${text(x + 20, y + 14, s.label)}`;
    x += width + 12;
    return part;
  });
  return { svg: parts.join(''), height: y + 22 };
}

/** Horizontal bars, one per row, each labelled above with its value (cases by kind, by channel…). */
export function barChart(
  input: ChartBase & { rows: readonly { label: string; value: number }[]; valueHead: string },
): string {
  const { rows, locale } = input;
  const max = Math.max(0, ...rows.map((r) => r.value));
  if (max === 0) return empty(input);
  const total = rows.reduce((s, r) => s + r.value, 0);
  const drawing = rows
    .map((r, i) => {
      const y = i * ROW;
      return (
        text(0, y + 16, clip(r.label)) +
        text(W, y + 16, num(r.value, locale), ' text-anchor="end"') +
        (r.value > 0 ? rect(0, y + 22, (r.value / max) * W, 14, COLORS.single) : '')
      );
    })
    .join('\n');
  const desc = `${input.title}. Total: ${num(total, locale)}. ${rows.map((r) => `${r.label}: ${num(r.value, locale)}`).join('; ')}.`;
  const data = table({
    caption: input.title,
    columns: [{ label: input.rowHead }, { label: input.valueHead, type: 'number' }],
    rows: rows.map((r) => [r.label, num(r.value, locale)]),
  });
  return figure(input, desc, rows.length * ROW, drawing, data);
}

interface Stacked {
  series: readonly Series[];
  /** Values by series key (a missing one is 0); `short`: the label on a column chart's axis. */
  columns: readonly { label: string; short?: string; values: Readonly<Record<string, number>> }[];
}

const countOf = (values: Readonly<Record<string, number>>, key: string) => values[key] ?? 0;
const sumOf = (values: Readonly<Record<string, number>>, series: readonly Series[]) =>
  series.reduce((s, x) => s + countOf(values, x.key), 0);

/** The counts of each row by series, with their total, as a table. */
function stackedTable(input: ChartBase & Stacked): string {
  const { series, locale } = input;
  return table({
    caption: input.title,
    columns: [
      { label: input.rowHead },
      ...series.map((s) => ({ label: s.label, type: 'number' as const })),
      { label: 'Total', type: 'number' },
    ],
    rows: input.columns.map((c): Cell[] => [
      c.label,
      ...series.map((s) => num(countOf(c.values, s.key), locale)),
      num(sumOf(c.values, series), locale),
    ]),
  });
}

const seriesText = (values: Readonly<Record<string, number>>, series: readonly Series[], locale: Locale) =>
  series.map((s) => `${s.label} ${num(countOf(values, s.key), locale)}`).join(', ');

/** The top of a readable axis for `n` > 0: the smallest 2, 4, 6, 8 or 10 × 10ᵏ at or above it (a whole middle). */
function axisTop(n: number): number {
  const power = 10 ** Math.floor(Math.log10(n));
  return [2, 4, 6, 8, 10].map((m) => m * power).find((m) => m >= n)!;
}

/** Columns stacked by series, one per month (answered on time, late, pending), with a legend. */
export function stackedColumns(input: ChartBase & Stacked): string {
  const { series, columns, locale } = input;
  const totals = columns.map((c) => sumOf(c.values, series));
  if (!totals.some((t) => t > 0)) return empty(input);
  const key = legend(series);
  const top = key.height + 16;
  const max = axisTop(Math.max(...totals));
  // Room for the widest axis number (the top one), about 7 units a character at 12 px.
  const left = 12 + num(max, locale).length * 7;
  const [plotH, plotW] = [180, W - left];
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const grid = [0, max / 2, max]
    .map(
      (v) =>
        `<line x1="${left}" x2="${W}" y1="${y(v)}" y2="${y(v)}" stroke="#d0d0d0"/>` +
        text(left - 6, y(v) + 5, num(v, locale), ' text-anchor="end" font-size="12"'),
    )
    .join('');
  const slot = plotW / columns.length;
  // At most one axis label every 64 units, so month names never overlap.
  const every = Math.ceil(64 / slot);
  const bars = columns
    .map((c, i) => {
      let base = 0;
      const x = left + i * slot + slot * 0.15;
      const segments = series.map((s) => {
        const v = countOf(c.values, s.key);
        base += v;
        return v > 0 ? rect(x, y(base), slot * 0.7, (v / max) * plotH, s.color) : '';
      });
      const label =
        i % every === 0
          ? text(
              left + (i + 0.5) * slot,
              top + plotH + 18,
              c.short ?? c.label,
              ' text-anchor="middle" font-size="12"',
            )
          : '';
      return segments.join('') + label;
    })
    .join('\n');
  const overall = Object.fromEntries(
    series.map((s) => [s.key, columns.reduce((n, c) => n + countOf(c.values, s.key), 0)]),
  );
  const span = columns.length > 1 ? `${columns[0]!.label} – ${columns.at(-1)!.label}` : columns[0]!.label;
  const desc = `${input.title}, ${span}. Total: ${seriesText(overall, series, locale)}.`;
  return figure(input, desc, top + plotH + 26, `${key.svg}\n${grid}\n${bars}`, stackedTable(input));
}

/** One horizontal bar per row split into its series' shares (stances per section), with a legend. */
export function stackedBars(input: ChartBase & Stacked): string {
  const { series, columns, locale } = input;
  if (!columns.some((c) => sumOf(c.values, series) > 0)) return empty(input);
  const key = legend(series);
  const top = key.height + 8;
  const bars = columns
    .map((c, i) => {
      const y = top + i * ROW;
      const total = sumOf(c.values, series);
      let x = 0;
      const segments = series.map((s) => {
        const [from, w] = [x, total === 0 ? 0 : (countOf(c.values, s.key) / total) * W];
        x += w;
        return w > 0 ? rect(from, y + 22, w, 14, s.color) : '';
      });
      // A row with nothing yet is an empty outline, so it still reads as a row.
      const frame =
        total === 0
          ? `<rect x="0.5" y="${y + 22.5}" width="${W - 1}" height="13" fill="none" stroke="#909090"/>`
          : '';
      return (
        text(0, y + 16, clip(c.label)) +
        text(W, y + 16, num(total, locale), ' text-anchor="end"') +
        frame +
        segments.join('')
      );
    })
    .join('\n');
  const desc = `${input.title}. ${columns.map((c) => `${c.label}: ${seriesText(c.values, series, locale)}`).join('; ')}.`;
  return figure(input, desc, top + columns.length * ROW, `${key.svg}\n${bars}`, stackedTable(input));
}

import { describe, expect, it } from 'vitest';
import { barChart, COLORS, stackedBars, stackedColumns } from '#http/pages/charts.ts';
import { escapeHtml, page } from '#http/pages/layout.ts';
import { expectWellFormed, HOSTILE, HOSTILE_ESCAPED } from './wellFormed.ts';

const base = { title: 'Recibidas por tipo', caption: 'Lo que pidió cada persona.', rowHead: 'Tipo' };
const series = [
  { key: 'onTime', label: 'A tiempo', color: COLORS.good },
  { key: 'late', label: 'Tarde', color: COLORS.bad },
];

describe('the page frame', () => {
  it('escapes the five characters that can make markup, and writes null as nothing', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(7)).toBe('7');
  });

  it('is a whole document whose one stylesheet the CSP names', () => {
    const html = page({ lang: 'es', title: HOSTILE, body: '<p>Hola</p>' });
    expect(html).toContain('<header>Urna — Transparencia</header>');
    expect(html).toContain(`<title>${HOSTILE_ESCAPED} — Urna — Transparencia</title>`);
    expect(html).toContain('<footer>');
    expectWellFormed(html);
  });
});

describe('charts', () => {
  it('draw horizontal bars with a text alternative and the same figures as a table', () => {
    const html = barChart({
      ...base,
      id: 'tipos',
      valueHead: 'Solicitudes',
      locale: 'es',
      rows: [
        { label: 'Petición', value: 1200 },
        { label: 'Queja', value: 0 },
        { label: HOSTILE, value: 3 },
      ],
    });
    expectWellFormed(page({ lang: 'es', title: 't', body: html }));
    expect(html).toContain('<desc id="tipos-d">Recibidas por tipo. Total: 1.203. Petición: 1.200; Queja: 0;');
    expect(html).toContain('<th scope="row">Petición</th><td class="n">1.200</td>');
    expect(html).toContain('<caption>Recibidas por tipo</caption>');
    expect(html).toContain(HOSTILE_ESCAPED);
    // Two bars: a zero draws none.
    expect(html.match(/<rect /g)).toHaveLength(2);
  });

  it('cut long labels in the drawing, never in the table', () => {
    const long = 'Artículo 5. '.repeat(10).trim();
    const html = barChart({
      ...base,
      id: 'l',
      valueHead: 'n',
      locale: 'es',
      rows: [{ label: long, value: 1 }],
    });
    expect(html).toContain(`<th scope="row">${long}</th>`);
    expect(html).toMatch(/<text [^>]*>Artículo 5\.[^<]*…<\/text>/);
  });

  it('stack columns per month with a legend drawn in text, and short axis labels', () => {
    const html = stackedColumns({
      ...base,
      id: 'meses',
      rowHead: 'Mes',
      series,
      locale: 'es',
      columns: [
        { label: 'enero de 2026', short: 'ene 2026', values: { onTime: 100, late: 20 } },
        { label: 'febrero de 2026', short: 'feb 2026', values: { onTime: 5 } },
      ],
    });
    expectWellFormed(page({ lang: 'es', title: 't', body: html }));
    expect(html).toMatch(/<text [^>]*>A tiempo<\/text>/);
    expect(html).toMatch(/<text [^>]*>ene 2026<\/text>/);
    expect(html).toContain('enero de 2026 – febrero de 2026. Total: A tiempo 105, Tarde 20.');
    expect(html).toContain(
      '<th scope="row">enero de 2026</th><td class="n">100</td><td class="n">20</td><td class="n">120</td>',
    );
  });

  it('split bars into shares per row, an empty row drawn as an outline', () => {
    const html = stackedBars({
      ...base,
      id: 'posiciones',
      rowHead: 'Sección',
      series,
      locale: 'en',
      columns: [
        { label: 'Article 1', values: { onTime: 3, late: 1 } },
        { label: 'Article 2', values: {} },
      ],
    });
    expectWellFormed(page({ lang: 'en', title: 't', body: html }), 'en');
    expect(html).toContain('Article 1: A tiempo 3, Tarde 1; Article 2: A tiempo 0, Tarde 0.');
    expect(html).toContain('fill="none"');
    expect(html).toContain('width="360.0"');
  });

  it('say there is no data instead of drawing an empty chart', () => {
    const es = barChart({ ...base, id: 'v', valueHead: 'n', locale: 'es', rows: [{ label: 'a', value: 0 }] });
    const en = stackedColumns({ ...base, id: 'w', series, locale: 'en', columns: [] });
    expect(es).toContain('<p>Sin datos en este periodo.</p>');
    expect(en).toContain('<p>No data in this period.</p>');
    expect(es + en).not.toContain('<svg');
    expect(es + en).not.toContain('<table');
  });
});

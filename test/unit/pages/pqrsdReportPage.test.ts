import { beforeAll, describe, expect, it } from 'vitest';
import { ratingContributions } from '#domain/satisfaction.ts';
import { addCells, type Cells } from '#domain/transparency/contributions.ts';
import type { PqrsdReport } from '#domain/transparency/report.ts';
import { groundLabel, type PqrsdReportPageInput, pqrsdReportPage } from '#http/pages/pqrsdReportPage.ts';
import { reportOf as report, seededHistory } from '../transparency/scenario.ts';
import { expectWellFormed, HOSTILE, HOSTILE_ESCAPED } from './wellFormed.ts';

const links = { json: '/v1/public/reports/MINTIC.json', csv: '/r.csv', dictionary: '/d.csv' };
const render = (r: PqrsdReport, over: Partial<PqrsdReportPageInput> = {}) =>
  pqrsdReportPage({
    report: r,
    entity: { id: 'MINTIC', name: 'Ministerio de Tecnologías de la Información y las Comunicaciones' },
    entityNames: { SUPERSALUD: 'Superintendencia Nacional de Salud' },
    links,
    locale: 'es',
    ...over,
  });

let q1: PqrsdReport;
beforeAll(async () => {
  const { counters } = await seededHistory();
  // Four ratings in February, so the satisfaction chart has something to draw.
  const cells = [5, 4, 4, 1].reduce<Cells>(
    (sum, rating) => addCells(sum, ratingContributions({ month: '2026-02', rating })),
    { ...counters.get('MINTIC')! },
  );
  q1 = report(cells);
});

describe('the PQRSD report page', () => {
  it('is a well-formed page with the entity, the period in words and the day of the data', () => {
    const html = render(q1);
    expectWellFormed(html);
    expect(html).toContain(
      '<h1>Informe de PQRSD — Ministerio de Tecnologías de la Información y las Comunicaciones</h1>',
    );
    expect(html).toContain('Periodo: primer trimestre de 2026. Datos al 20 de marzo de 2026.');
    expect(html).toContain('<dt>Solicitudes recibidas</dt><dd>7</dd>');
    expect(html).toContain('<dt>Días hábiles para responder, promedio</dt><dd>12,3</dd>');
    expect(html).toContain('<dt>Satisfacción promedio (de 1 a 5)</dt><dd>3,5</dd>');
  });

  it('charts the months, the days to answer, the kinds and channels, with their tables', () => {
    const html = render(q1);
    for (const id of ['meses', 'dias', 'tipos', 'canales', 'satisfaccion']) {
      expect(html).toContain(`aria-labelledby="${id}-t ${id}-d"`);
    }
    expect(html).toContain(
      // January: 2 on time, 1 late, 1 pending, 3 forwarded or withdrawn: the 7 received.
      '<th scope="row">enero de 2026</th><td class="n">2</td><td class="n">1</td><td class="n">1</td><td class="n">3</td><td class="n">7</td>',
    );
    // Answered on days 1, 5 and 31.
    expect(html).toContain('<th scope="row">0 a 5 días</th><td class="n">2</td>');
    expect(html).toContain('<th scope="row">31 a 60 días</th><td class="n">1</td>');
    expect(html).toContain('<th scope="row">Más de 60 días</th><td class="n">0</td>');
    expect(html).toContain('<th scope="row">Solicitud de información</th><td class="n">2</td>');
    expect(html).toContain('<th scope="row">Correo electrónico</th><td class="n">1</td>');
    expect(html).toContain('<th scope="row">Petición de documentos e información</th><td class="n">2</td>');
  });

  it('names the entities cases were forwarded to, and the legal ground of each denial', () => {
    const html = render(q1);
    expect(html).toContain('<th scope="row">Superintendencia Nacional de Salud</th><td class="n">1</td>');
    expect(html).not.toContain('>SUPERSALUD<');
    expect(html).toContain(
      '<th scope="row">Ley 1712 de 2014, art. 18, literal c (secretos comerciales, industriales y profesionales)</th>',
    );
    expect(groundLabel('19-paragrafo', 'es')).toBe(
      'Ley 1712 de 2014, art. 19, parágrafo (proceso deliberativo)',
    );
    expect(groundLabel('18-a', 'en')).toBe('Ley 1712 de 2014, art. 18, literal a (privacy)');
  });

  it('shows suppressed breakdown cells as withheld, and explains why', () => {
    const html = render(q1);
    // Two victims among seven (k = 5): withheld, and the "none" cell with them.
    expect(q1.breakdowns.preferential.filter((c) => c.suppressed).length).toBeGreaterThan(0);
    expect(html).toContain('<th scope="row">Víctima</th><td class="n">reservado</td>');
    expect(html).toContain('las cifras de menos de 5 personas se muestran como «reservado»');
  });

  it('escapes whatever the report and the caller hand it', () => {
    const hostile: PqrsdReport = {
      ...q1,
      period: { ...q1.period, label: HOSTILE },
      forwarded: { ...q1.forwarded, to: { [HOSTILE]: 2 } },
      denied: { ...q1.denied, byGround: { [HOSTILE]: 1 } },
      breakdowns: { ...q1.breakdowns, gender: [{ value: HOSTILE, count: 9, suppressed: false }] },
    };
    const html = render(hostile, {
      entity: { id: 'X', name: HOSTILE },
      links: { ...links, register: `/r?a=${HOSTILE}` },
    });
    expectWellFormed(html);
    expect(html.split(HOSTILE_ESCAPED).length - 1).toBeGreaterThanOrEqual(6);
    expect(html).toContain(`<a href="/r?a=${HOSTILE_ESCAPED}">`);
  });

  it('says "Sin datos" instead of empty charts for a period with nothing, and titles the national one', () => {
    const html = render(report({}, '2026-11', '2026-12-01', null), { entity: null });
    expectWellFormed(html);
    expect(html).toContain('<h1>Informe nacional de PQRSD</h1>');
    expect(html).toContain('Periodo: noviembre de 2026.');
    expect(html).not.toContain('<svg');
    expect(html.match(/Sin datos en este periodo\./g)!.length).toBeGreaterThanOrEqual(5);
    expect(html).toContain('<dt>Días hábiles para responder, mediana</dt><dd>—</dd>');
  });

  it('speaks English when asked', () => {
    const html = render(q1, { locale: 'en' });
    expectWellFormed(html, 'en');
    expect(html).toContain('<h1>PQRSD report — Ministerio');
    expect(html).toContain('Period: first quarter of 2026. Data as of March 20, 2026.');
    expect(html).toContain('<th scope="row">Information request</th>');
    expect(html).toContain('<th scope="row">Victim</th><td class="n">withheld</td>');
    expect(html).toContain('<a href="/r.csv">This report as CSV</a>');
  });
});

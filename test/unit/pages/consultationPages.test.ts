import { describe, expect, it } from 'vitest';
import type { StoredComment } from '#domain/participation/comment.ts';
import {
  type Consultation,
  ConsultationInputSchema,
  newConsultation,
} from '#domain/participation/consultation.ts';
import { reportRow } from '#domain/participation/report.ts';
import { buildResults, countComments } from '#domain/participation/results.ts';
import { consultationReportPage, consultationResultsPage } from '#http/pages/consultationPages.ts';
import { expectWellFormed, HOSTILE, HOSTILE_ESCAPED } from './wellFormed.ts';

const drafted = newConsultation(
  ConsultationInputSchema.parse({
    entityId: 'MINTIC',
    type: 'draft_regulation',
    title: 'Proyecto de resolución sobre conectividad rural',
    summary: 'Resumen del proyecto.',
    documentUrl: 'https://mintic.gov.co/proyecto.pdf',
    sections: [
      { title: 'Artículo 1. Objeto', body: 'Texto.' },
      { title: 'Artículo 2. Ámbito', body: 'Texto.' },
    ],
    opensAt: '2026-03-02T08:00:00-05:00',
    closesAt: '2026-03-17T23:59:00-05:00',
  }),
  'MINTIC-C-7K2M9Q4X',
  'sub',
  new Date('2026-03-01T00:00:00Z'),
);
const published: Consultation = { ...drafted, status: 'published', publishedAt: '2026-04-01T15:00:00Z' };

const disposed = (value: 'accepted' | 'not_accepted', reasons: string) => ({
  value,
  reasons,
  at: 'x',
  by: 'y',
});
let n = 0;
const comment = (over: Partial<StoredComment>): StoredComment => ({
  type: 'comment',
  reference: `0000-0000-0000-00${String(++n).padStart(2, '0')}`,
  consultationId: published.id,
  sectionId: 's1',
  stance: 'oppose',
  text: 'texto',
  acceptedAt: '2026-03-03T02:00:00Z',
  author: { kind: 'device', hash: 'a'.repeat(64) },
  groupKey: `${String(n).padStart(16, '0')}`,
  version: 1,
  ...over,
});

// A campaign of three identical comments against article 1, one comment in favour, one hostile.
const campaign = [1, 2, 3].map((day) =>
  comment({
    groupKey: 'c'.repeat(16),
    text: 'No al artículo 1.',
    acceptedAt: `2026-03-0${day + 2}T15:00:00Z`,
    department: '11',
    disposition: disposed('not_accepted', 'Se mantiene el texto.'),
  }),
);
const comments = [
  ...campaign,
  comment({
    sectionId: 's2',
    stance: 'support',
    text: 'Bien.',
    ageBand: '18_28',
    disposition: disposed('accepted', 'Gracias.'),
  }),
  comment({
    sectionId: 's2',
    stance: 'observation',
    text: HOSTILE,
    disposition: disposed('accepted', HOSTILE),
  }),
];
const titles: Record<string, string> = { s1: 'Artículo 1. Objeto', s2: 'Artículo 2. Ámbito' };
const rows = comments.map((c) => reportRow(c, titles[c.sectionId]!, c.groupKey === 'c'.repeat(16) ? 3 : 1));
const results = buildResults(published, countComments(comments), 5);
const input = { consultation: published, results, entityName: 'Ministerio TIC', locale: 'es' as const };

describe('the global report page', () => {
  const html = consultationReportPage({
    ...input,
    rows,
    next: '/v1/public/consultations/x/report.html?cursor=a&b',
  });

  it('is a well-formed page with the entity name, the period and the publication in words', () => {
    expectWellFormed(html);
    expect(html).toContain('<dt>Entidad</dt><dd>Ministerio TIC</dd>');
    expect(html).not.toContain('<dd>MINTIC</dd>');
    expect(html).toContain('del 2 de marzo de 2026 al 17 de marzo de 2026 (15 días calendario)');
    expect(html).toContain('<dt>Informe global publicado el</dt><dd>1 de abril de 2026</dd>');
    expect(html).toContain('<a href="https://mintic.gov.co/proyecto.pdf">Documento completo</a>');
    expect(html).toContain('<dt>Comentarios</dt><dd>5</dd>');
    expect(html).toContain('Se aceptó el 40,0\u00a0% de los comentarios');
  });

  it('charts stances per section by title, and the answers', () => {
    expect(html).toContain('aria-labelledby="posiciones-t posiciones-d"');
    expect(html).toContain('aria-labelledby="respuestas-t respuestas-d"');
    expect(html).toContain('Artículo 1. Objeto: A favor 0, En contra 3, Observación 0;');
    expect(html).toContain('<th scope="row">No aceptados</th><td class="n">3</td>');
  });

  it('shows a campaign once, with its size and every reference', () => {
    expect(html.match(/No al artículo 1\./g)).toHaveLength(1);
    expect(html).toContain('<strong>Campaña: 3 comentarios iguales</strong>');
    expect(html).toContain(
      '<ul class="refs"><li>0000-0000-0000-0001</li><li>0000-0000-0000-0002</li><li>0000-0000-0000-0003</li></ul>',
    );
    expect(html).toContain('del 3 de marzo de 2026 al 5 de marzo de 2026');
    expect(html.match(/Se mantiene el texto\./g)).toHaveLength(1);
  });

  it('escapes what citizens and officers typed, and links the next page', () => {
    expect(html.split(HOSTILE_ESCAPED).length - 1).toBe(2);
    expect(html).toContain(
      '<a href="/v1/public/consultations/x/report.html?cursor=a&amp;b" rel="next">Siguiente página</a>',
    );
    const hostile = consultationReportPage({
      ...input,
      consultation: { ...published, title: HOSTILE, summary: HOSTILE, shortPeriodReason: HOSTILE },
      entityName: HOSTILE,
      rows: rows.map((r) => ({ ...r, sectionTitle: HOSTILE, reference: HOSTILE })),
    });
    expectWellFormed(hostile);
    expect(hostile).not.toContain('rel="next"');
  });

  it('keeps a campaign apart when its comments got different answers', () => {
    const split = consultationReportPage({
      ...input,
      rows: [rows[0]!, { ...rows[1]!, disposition: 'accepted' }],
    });
    expect(split.match(/Campaña: 3 comentarios iguales/g)).toHaveLength(2);
  });
});

describe('the results page', () => {
  it('gives the status, the figures and the breakdowns with small cells withheld', () => {
    const html = consultationResultsPage({
      ...input,
      consultation: { ...published, status: 'open' },
      links: { json: '/r.json', report: '/report.html' },
    });
    expectWellFormed(html);
    expect(html).toContain('<dt>Estado</dt><dd>Abierta: recibe comentarios</dd>');
    // Three from Bogotá (k = 5), and the two who did not say with them.
    expect(html).toContain('<th scope="row">Bogotá, D.C.</th><td class="n">reservado</td>');
    expect(html).toContain('<th scope="row">No informado</th><td class="n">reservado</td>');
    expect(html).toContain('<a href="/report.html">Informe global de observaciones</a>');
  });

  it('says "Sin datos" before any comment, and speaks English when asked', () => {
    const empty = buildResults(published, {}, 5);
    const es = consultationResultsPage({ ...input, results: empty, links: { json: '/r.json' } });
    expectWellFormed(es);
    expect(es).not.toContain('<svg');
    expect(es).toContain('Sin datos en este periodo.');
    const en = consultationResultsPage({ ...input, locale: 'en', links: { json: '/r.json' } });
    expectWellFormed(en, 'en');
    expect(en).toContain('March 2, 2026 to March 17, 2026 (15 calendar days)');
    expect(en).toContain('<th scope="row">Not accepted</th><td class="n">3</td>');
    expect(en).toContain('<th scope="row">Bogotá, D.C.</th><td class="n">withheld</td>');
  });
});

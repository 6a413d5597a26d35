import { describe, expect, it } from 'vitest';
import { csvField } from '#domain/csv.ts';
import type { StoredComment } from '#domain/participation/comment.ts';
import { ConsultationInputSchema, newConsultation } from '#domain/participation/consultation.ts';
import { csvHeader, csvRows, reportRow } from '#domain/participation/report.ts';
import { buildResults, countComments, disposedCount } from '#domain/participation/results.ts';

const consultation = newConsultation(
  ConsultationInputSchema.parse({
    entityId: 'MINTIC',
    type: 'question',
    title: 'Preguntas sobre conectividad',
    summary: 'Resumen',
    sections: [
      { title: 'Pregunta 1', body: '¿Qué opina?' },
      { title: 'Pregunta 2', body: '¿Y esto?' },
    ],
    opensAt: '2026-03-02T08:00:00-05:00',
    closesAt: '2026-03-05T23:59:00-05:00',
  }),
  'MINTIC-C-7K2M9Q4X',
  'sub',
  new Date('2026-03-01T00:00:00Z'),
);

const comment = (over: Partial<StoredComment>): StoredComment => ({
  type: 'comment',
  reference: '0000-0000-0000-0001',
  consultationId: consultation.id,
  sectionId: 's1',
  stance: 'oppose',
  text: 'texto',
  acceptedAt: '2026-03-03T02:00:00Z',
  author: { kind: 'device', hash: 'a'.repeat(64) },
  groupKey: '0123456789abcdef',
  version: 1,
  ...over,
});

describe('CSV', () => {
  it('quotes commas, quotes and line breaks (RFC 4180) and defuses formulas', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvField('-5')).toBe("'-5");
    expect(csvField(7)).toBe('7');
    expect(csvField(null)).toBe('');
  });

  it('writes the header and one line per row, the received day in Bogotá, no author', () => {
    const row = reportRow(comment({ text: 'Hola, mundo' }), 'Pregunta 1', 3);
    expect(row.receivedOn).toBe('2026-03-02');
    expect(JSON.stringify(row)).not.toContain('a'.repeat(64));
    expect(csvHeader()).toBe(
      'reference,sectionId,sectionTitle,stance,text,receivedOn,group,groupSize,disposition,reasons\r\n',
    );
    expect(csvRows([row])).toBe(
      '0000-0000-0000-0001,s1,Pregunta 1,oppose,"Hola, mundo",2026-03-02,0123456789abcdef,3,,\r\n',
    );
  });
});

describe('results from counters', () => {
  it('equal a recount of the comments, with shares and pending dispositions', () => {
    const comments = [
      comment({
        sectionId: 's1',
        stance: 'oppose',
        department: '11',
        disposition: { value: 'accepted', reasons: 'r', at: 'x', by: 'y' },
      }),
      comment({ sectionId: 's1', stance: 'support', department: '11' }),
      comment({
        sectionId: 's2',
        stance: 'observation',
        ageBand: '18_28',
        disposition: { value: 'not_accepted', reasons: 'r', at: 'x', by: 'y' },
      }),
      comment({
        sectionId: 's2',
        stance: 'observation',
        disposition: { value: 'partially_accepted', reasons: 'r', at: 'x', by: 'y' },
      }),
    ];
    const counters = countComments(comments);
    const r = buildResults(consultation, counters, 5);
    expect(r.totals).toEqual({
      comments: 4,
      stances: { support: 1, oppose: 1, observation: 2 },
      dispositions: { accepted: 1, partially_accepted: 1, not_accepted: 1, pending: 1 },
      acceptedShare: 0.25,
      acceptedOrPartiallyShare: 0.5,
    });
    expect(r.sections.map((s) => s.comments)).toEqual([2, 2]);
    expect(disposedCount(consultation, counters)).toBe(3);
    // 2 people from Bogotá and 2 not given: both under k=5, so both hidden.
    const dept = r.breakdowns.department.filter((c) => c.value === '11' || c.value === 'not_given');
    expect(dept).toEqual([
      { value: '11', name: 'Bogotá, D.C.', count: null, suppressed: true },
      { value: 'not_given', count: null, suppressed: true },
    ]);
  });
});

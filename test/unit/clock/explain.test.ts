import { describe, expect, it } from 'vitest';
import { computeClock, explainText } from '#domain/clock/index.ts';

describe('explainText', () => {
  it('lets an officer defend the date: rule, article, every day numbered or skipped with its reason', () => {
    // Prepare: Saturday filing before the San José Monday, with a closure
    const r = computeClock({
      termClass: 'general',
      filed: '2026-03-21T15:00:00-05:00',
      entity: { closures: [{ date: '2026-04-08', reason: 'Traslado de sede' }] },
    });
    // Act
    const text = explainText(r);
    // Assess
    expect(text).toContain('Ley 1755 de 2015, art. 14');
    expect(text).toContain('co-ley1755-2015');
    expect(text).toMatch(/Término: 15 días hábiles/);
    expect(text).toMatch(/2026-03-23 lunes .*Día de San José \(Ley 51 de 1983/);
    expect(text).toMatch(/2026-03-22 domingo .*fin de semana/);
    expect(text).toMatch(/2026-04-02 jueves .*Jueves Santo/);
    expect(text).toMatch(/2026-04-08 miércoles .*cierre de la entidad: Traslado de sede/);
    expect(text).toMatch(/2026-03-24 martes\s+día {2}1/);
    expect(text).toMatch(/2026-04-16 jueves\s+día 15 .*vencimiento/);
    expect(text).toContain('Prórroga máxima');
    expect(text).toContain('art. 21');
    expect(text).toContain('"reanudar"');
    // every counted day appears once, numbered 1..15
    expect(text.match(/día +\d+ +Día \d+/g)).toHaveLength(15);
  });

  it('explains the suspension, the reading and refused events', () => {
    const r = computeClock({
      termClass: 'general',
      filed: '2026-03-02T09:00:00-05:00',
      entity: { suspensionReading: 'restart' },
      events: [
        { type: 'completion_requested', at: '2026-03-04T10:00:00-05:00' },
        { type: 'completed', at: '2026-03-10T12:00:00-05:00' },
        { type: 'extended', at: '2026-05-04T10:00:00-05:00' },
      ],
    });
    const text = explainText(r);
    expect(text).toContain('"reiniciar"');
    expect(text).toMatch(/Suspendido \(petición incompleta, Ley 1755 de 2015, art\. 17\)/);
    expect(text).toMatch(/descartado/);
    expect(text).toMatch(/Eventos rechazados:\n {2}- events\[2\] extended/);
  });

  it('names the emergency regime and what it left untouched', () => {
    const text = explainText(computeClock({ termClass: 'information', filed: '2021-03-01T10:00:00-05:00' }));
    expect(text).toContain('Decreto 491 de 2020');
    expect(text).toContain('salvo norma especial');
    expect(text).toMatch(/copias se entregan a más tardar el 2021-04-06/);
  });

  it('says when the entity’s shorter term or the office-hours rule applied', () => {
    const text = explainText(
      computeClock({
        termClass: 'general',
        filed: '2026-03-20T18:30:00-05:00',
        entity: { terms: { general: 10 }, officeHours: { open: '08:00', close: '17:00' } },
      }),
    );
    expect(text).toMatch(/fijado por la entidad \(más corto que el legal de 15/);
    expect(text).toMatch(/Radicada a las 18:30, después del cierre \(08:00–17:00\)/);
  });
});

/**
 * The public pages in a real browser (issue 15): Debian's chromium, driven by playwright-core,
 * opens each page from the running local system — an entity's PQRSD report and the national one
 * (the seeded history of cases), a consultation's results and its global report — checks what it
 * shows, that the strict CSP refused nothing, that nothing scrolls sideways on a 390 px phone, runs
 * axe-core (WCAG 2.1 AA, Resolución 1519 de 2020: no serious or critical violation) and saves
 * screenshots at 1280 and 390 px under test-artifacts/pages/.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed } from '#infra/local/seed.ts';
import { call } from '#test/support/client.ts';
import { type LocalSystem, useLocalSystem } from '#test/support/localEnv.ts';
import { storeSeededHistory } from '#test/support/seededCases.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = 'test-artifacts/pages';
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let system: LocalSystem;
let browser: Browser;
let consultationId: string;

/** A consultation of MINTIC opened, commented (a campaign among them), answered and published. */
async function publishedConsultation(): Promise<string> {
  const token = await system.issuer.issue({ entity: 'MINTIC', roles: ['communicator'] });
  const headers = { authorization: `Bearer ${token}` };
  const api = (method: string, path: string, body?: unknown) =>
    call(system.baseUrl, method, path, { headers, ...(body === undefined ? {} : { body }) });
  const closesAt = new Date(Date.now() + 4000).toISOString();
  const created = await api('POST', '/v1/consultations', {
    entityId: 'MINTIC',
    type: 'question',
    title: 'Preguntas sobre el plan de conectividad rural',
    summary: 'Queremos conocer su opinión sobre las zonas wifi rurales.',
    sections: [
      { title: '¿Dónde instalar las zonas wifi?', body: 'Indique veredas y centros poblados.' },
      { title: '¿Qué horarios prefiere?', body: 'De 6:00 a 22:00, o todo el día.' },
    ],
    opensAt: new Date(Date.now() - 60_000).toISOString(),
    closesAt,
  });
  const id = String(created.body.id);
  expect((await api('POST', `/v1/consultations/${id}/actions`, { action: 'open' })).status).toBe(200);
  const texts: [string, string, string][] = [
    ['s1', 'support', 'En la escuela de la vereda El Carmen.'],
    ['s1', 'support', 'En la escuela de la vereda El Carmen.'],
    ['s1', 'support', 'En la escuela de la vereda El Carmen.'],
    ['s1', 'oppose', 'Mejor en el parque principal.'],
    ['s2', 'observation', 'Todo el día, <b>sin cortes</b>.'],
    ['s2', 'support', 'De 6:00 a 22:00 está bien.'],
  ];
  const references: string[] = [];
  for (const [sectionId, stance, text] of texts) {
    const sent = await call(system.baseUrl, 'POST', `/v1/public/consultations/${id}/comments`, {
      body: { sectionId, stance, text },
      headers: { 'x-device-key': `device-${randomUUID()}` },
    });
    expect(sent.status).toBe(202);
    references.push(String(sent.body.reference));
  }
  await system.drain();
  await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(closesAt) - Date.now() + 50)));
  await system.fire('Publish');
  const answers = ['accepted', 'accepted', 'accepted', 'not_accepted', 'partially_accepted', 'accepted'];
  const dispositions = await api('POST', `/v1/consultations/${id}/dispositions`, {
    items: references.map((reference, i) => ({
      reference,
      disposition: answers[i],
      reasons: 'Se tendrá en cuenta en el plan.',
    })),
  });
  expect(dispositions.status).toBe(200);
  expect((await api('POST', `/v1/consultations/${id}/actions`, { action: 'answer' })).status).toBe(200);
  expect((await api('POST', `/v1/consultations/${id}/actions`, { action: 'publish' })).status).toBe(200);
  return id;
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no browser at ${CHROMIUM}: install Debian's chromium (apt-get install chromium)`);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  system = await useLocalSystem({ schedulers: false });
  await seed();
  await storeSeededHistory(system);
  consultationId = await publishedConsultation();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

interface Seen {
  title: string;
  h1: string;
  text: string;
  overflow: number;
  refused: string[];
  serious: { id: string; impact: string; help: string; nodes: number }[];
}

/** Opens a page at a width: what it shows, what the CSP refused, axe's serious violations. */
async function open(path: string, width: number, name: string, locale = 'es-CO'): Promise<Seen> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale });
  const page = await context.newPage();
  const refused: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') refused.push(m.text());
  });
  const response = await page.goto(`${system.baseUrl}${path}`);
  expect(response?.status(), path).toBe(200);
  await page.screenshot({ path: `${ARTIFACTS}/${name}-${width}.png`, fullPage: true });
  // As a string: it runs in the page (its DOM), not in this Node program.
  const seen = (await page.evaluate(`({
    title: document.title,
    h1: document.querySelector('main h1')?.textContent ?? '',
    text: document.body.innerText,
    overflow: document.documentElement.scrollWidth - window.innerWidth,
  })`)) as Pick<Seen, 'title' | 'h1' | 'text' | 'overflow'>;
  // axe through the DevTools protocol: the page's own CSP (no script) stays as served.
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as { axe: { run: (o: unknown) => Promise<{ violations: unknown[] }> } }
    ).axe;
    const result = await axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return result.violations as { id: string; impact: string; help: string; nodes: unknown[] }[];
  });
  await context.close();
  return {
    ...seen,
    refused,
    serious: violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length })),
  };
}

/** The checks every page passes at both widths. */
async function readable(path: string, name: string, locale?: string): Promise<Seen> {
  const wide = await open(path, 1280, name, locale);
  const phone = await open(path, 390, name, locale);
  for (const seen of [wide, phone]) {
    expect(seen.serious, `${name}: axe`).toEqual([]);
    expect(seen.refused, `${name}: console errors (CSP)`).toEqual([]);
  }
  expect(phone.overflow, `${name}: sideways scroll at 390 px`).toBeLessThanOrEqual(0);
  return wide;
}

describe('the public pages in a real browser', () => {
  it("shows an entity's PQRSD report: figures, dates and numbers as people write them, charts with tables", async () => {
    const seen = await readable(
      '/v1/public/entities/MINTIC/pqrsd-report.html?period=2026-Q1',
      'pqrsd-entidad',
    );
    expect(seen.h1).toContain('Ministerio de Tecnologías de la Información y las Comunicaciones');
    expect(seen.text).toContain('primer trimestre de 2026');
    expect(seen.text).toMatch(/\d{1,2} de [a-z]+ de 2026/);
    expect(seen.text).toContain('Superintendencia Nacional de Salud');
    expect(seen.text).toContain('Petición');
    expect(seen.text).not.toContain('MINTIC-2026');
  }, 120_000);

  it('shows the national report, and the English page on request', async () => {
    const es = await readable('/v1/public/pqrsd-report.html?period=2026', 'pqrsd-nacional');
    expect(es.h1).toContain('Informe nacional');
    const en = await readable('/v1/public/pqrsd-report.html?period=2026', 'pqrsd-national-en', 'en-US');
    expect(en.h1).toMatch(/national/i);
  }, 120_000);

  it("shows a consultation's results and its global report, the campaign once with its size", async () => {
    const results = await readable(
      `/v1/public/consultations/${consultationId}/results.html`,
      'consulta-resultados',
    );
    expect(results.text).toContain('Preguntas sobre el plan de conectividad rural');
    expect(results.text).toContain('¿Dónde instalar las zonas wifi?');
    const report = await readable(
      `/v1/public/consultations/${consultationId}/report.html`,
      'consulta-informe',
    );
    expect(report.h1).toContain('Informe global');
    expect(report.text.split('En la escuela de la vereda El Carmen.').length - 1).toBe(1);
    expect(report.text).toContain('3 comentarios iguales');
    expect(report.text).toContain('<b>sin cortes</b>');
  }, 120_000);
});

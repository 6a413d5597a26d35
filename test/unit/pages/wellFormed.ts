/**
 * What every public page must hold, whatever it shows: one whole document in its language, no
 * script and no style attribute (the CSP would block them), the one stylesheet the CSP's hash
 * names, tables with captions and scoped headers, and charts with a text alternative.
 */
import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { PAGE_CSP } from '#http/pages/layout.ts';

export const HOSTILE = '<img src=x onerror=alert(1)>"><script>alert(2)</script>';
export const HOSTILE_ESCAPED =
  '&lt;img src=x onerror=alert(1)&gt;&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;';

const count = (html: string, re: RegExp) => [...html.matchAll(re)].length;

export function expectWellFormed(html: string, lang: 'es' | 'en' = 'es'): void {
  expect(html.startsWith('<!doctype html>\n')).toBe(true);
  expect(html).toContain(`<html lang="${lang}">`);
  expect(html).toContain('<main id="contenido">');
  expect(html).toMatch(/<\/html>\n$/);
  // Nothing runs, nothing is loaded, nothing typed became markup.
  expect(html).not.toMatch(/<script|<img|<iframe|<link/i);
  expect(html).not.toMatch(/\sstyle=/i);

  const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)];
  expect(styles).toHaveLength(1);
  const hash = createHash('sha256').update(styles[0]![1]!).digest('base64');
  expect(PAGE_CSP).toContain(`style-src 'sha256-${hash}'`);

  const headers = [...html.matchAll(/<th\b[^>]*>/g)].map((m) => m[0]);
  for (const th of headers) expect(th).toMatch(/ scope="(col|row)"/);
  expect(count(html, /<table>\n<caption>[^<]+<\/caption>/g)).toBe(count(html, /<table\b/g));

  const svgs = count(html, /<svg\b/g);
  const described = [
    ...html.matchAll(
      /<svg role="img" aria-labelledby="([\w-]+)-t \1-d" viewBox="[\d .]+"[^>]*>\n<title id="\1-t">[^<]+<\/title>\n<desc id="\1-d">[^<]+<\/desc>/g,
    ),
  ].map((m) => m[1]);
  expect(described).toHaveLength(svgs);
  expect(new Set(described).size).toBe(svgs);
}

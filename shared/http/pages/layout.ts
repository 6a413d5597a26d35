/**
 * The frame of every public HTML page: one document, one constant stylesheet whose hash is the
 * only style the Content-Security-Policy allows (no script, no external resource, no style
 * attribute), readable on a 390 px phone. Pure.
 */
import { createHash } from 'node:crypto';
import type { Locale } from './format.ts';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text as HTML text or attribute value: nothing in it can become markup. */
export function escapeHtml(value: string | number | null): string {
  return value === null ? '' : String(value).replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);
}

/**
 * Colours meet WCAG AA on white: text #1a1a1a (17:1), secondary #4a4a4a (8.9:1), links #0b57a4
 * (7.2:1), focus #b35900 (4.8:1). Wide tables scroll inside their own region, never the page.
 */
const STYLE = [
  '*{box-sizing:border-box}',
  'body{margin:0 auto;max-width:60rem;padding:0 1rem;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#fff;overflow-wrap:break-word}',
  'header{border-bottom:4px solid #1f3a5f;padding:.75rem 0;font-weight:700;color:#1f3a5f}',
  'footer{border-top:1px solid #d0d0d0;margin-top:3rem;padding:1rem 0;color:#4a4a4a;font-size:.9375rem}',
  'h1{font-size:1.75rem;line-height:1.25;margin:1.5rem 0 .5rem}',
  'h2{font-size:1.375rem;line-height:1.3;margin:2.5rem 0 .5rem}',
  '.kicker{display:block;font-size:1rem;font-weight:400;color:#4a4a4a}',
  'p,li,dd,figcaption{max-width:70ch}',
  'a{color:#0b57a4}',
  'a:focus-visible,.scroll:focus-visible{outline:3px solid #b35900;outline-offset:2px}',
  '.skip{position:absolute;left:-100vw}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem}',
  '.note{color:#4a4a4a;font-size:.9375rem}',
  '.t{white-space:pre-wrap}',
  'dt{font-weight:700}dd{margin:0 0 .75rem}',
  'dl.facts{display:grid;grid-template-columns:1fr auto;gap:.25rem 1rem;max-width:40rem}',
  'dl.facts dt{font-weight:400;border-bottom:1px solid #e3e3e3}dl.facts dd{margin:0;text-align:right;font-variant-numeric:tabular-nums}',
  'figure{margin:1.5rem 0}figcaption{margin-bottom:.5rem}figcaption strong{display:block}',
  'svg{display:block;width:100%;height:auto;max-width:40rem}',
  '.scroll{overflow-x:auto;margin:1rem 0}',
  'table{border-collapse:collapse;min-width:100%}',
  'caption{text-align:left;font-weight:700;padding:.5rem 0}',
  'th,td{border-bottom:1px solid #d0d0d0;padding:.375rem .5rem;text-align:left;vertical-align:top}',
  'thead th{border-bottom:2px solid #1a1a1a}',
  'th[scope=row]{text-align:left;font-weight:400}',
  'td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}',
  'td.t{min-width:16rem}',
  'ul.refs{list-style:none;margin:0;padding:0;font-variant-numeric:tabular-nums;white-space:nowrap}',
].join('\n');

/** The Content-Security-Policy of every page: its one stylesheet, and nothing else. */
export const PAGE_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

const SITE: Record<Locale, { name: string; skip: string; footer: string }> = {
  es: {
    name: 'Urna — Transparencia',
    skip: 'Ir al contenido',
    footer:
      'Publicado conforme a la Ley 1712 de 2014, de transparencia y del derecho de acceso a la información pública nacional.',
  },
  en: {
    name: 'Urna — Transparency',
    skip: 'Skip to content',
    footer:
      'Published under Ley 1712 de 2014, on transparency and the right of access to public information.',
  },
};

/** The whole document around `body` (HTML already escaped by its maker); `title` is plain text. */
export function page(input: { lang: Locale; title: string; body: string }): string {
  const site = SITE[input.lang];
  return `<!doctype html>
<html lang="${input.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)} — ${site.name}</title>
<style>${STYLE}</style>
</head>
<body>
<a class="skip" href="#contenido">${site.skip}</a>
<header>${site.name}</header>
<main id="contenido">
${input.body}
</main>
<footer><p>${site.footer}</p></footer>
</body>
</html>
`;
}

/** Markup made elsewhere and already escaped, as opposed to plain text (escaped when written). */
export interface Html {
  readonly html: string;
}
export const raw = (html: string): Html => ({ html });
export type Cell = string | Html;
const cell = (c: Cell) => (typeof c === 'string' ? escapeHtml(c) : c.html);

/**
 * A data table with its caption, column headers, and a row header first in each row, inside its
 * own scrollable region (labelled by the caption) so a wide one never widens the page. Columns of
 * numbers are right-aligned; columns of long text keep the line breaks typed and a readable width.
 */
export function table(input: {
  caption: string;
  columns: readonly { label: string; type?: 'number' | 'text' }[];
  rows: readonly (readonly Cell[])[];
}): string {
  const cls = (i: number) => {
    const type = input.columns[i]?.type;
    return type === undefined ? '' : ` class="${type === 'number' ? 'n' : 't'}"`;
  };
  const head = input.columns.map((c, i) => `<th scope="col"${cls(i)}>${escapeHtml(c.label)}</th>`).join('');
  const body = input.rows
    .map(
      (r) =>
        `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${cell(c)}</th>` : `<td${cls(i)}>${cell(c)}</td>`)).join('')}</tr>`,
    )
    .join('\n');
  return `<div class="scroll" role="region" aria-label="${escapeHtml(input.caption)}" tabindex="0"><table>
<caption>${escapeHtml(input.caption)}</caption>
<thead><tr>${head}</tr></thead>
<tbody>
${body}
</tbody>
</table></div>`;
}

/** A page as a route's answer: its CSP, its language, and a cache varying by Accept-Language. */
export function htmlResult(html: string, locale: Locale, headers: Record<string, string> = {}) {
  return {
    status: 200,
    text: html,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': PAGE_CSP,
      'content-language': locale,
      vary: 'Accept-Language',
      ...headers,
    },
  };
}

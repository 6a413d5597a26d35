/**
 * `Content-Disposition: attachment` for a download (RFC 6266): an ASCII `filename` for old clients
 * and the exact name in `filename*` (RFC 8187, formerly 5987: UTF-8, percent-encoded).
 */

/** RFC 8187 attr-char: what may stay unencoded in `filename*`. */
const NOT_ATTR_CHAR = /[^A-Za-z0-9!#$&+\-.^_`|~]/gu;

export function attachmentDisposition(fileName: string): string {
  const wellFormed = fileName.replace(/\p{Cs}/gu, '\uFFFD');
  const fallback = wellFormed
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = wellFormed.replace(NOT_ATTR_CHAR, (c) =>
    [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

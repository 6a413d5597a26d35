/**
 * Citizens' and officers' documents (issue 13): the limits, what a document is (its type decided by
 * its bytes, never by its name or declared type), a safe file name, and the reference a submission
 * keeps. Pure. Why these rules: docs/adr/0009-documents.md
 */
import { hash } from 'node:crypto';
import * as z from 'zod';
import { pattern, refinement } from './issues.ts';

export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
export const MAX_DOCUMENTS_PER_SUBMISSION = 5;
export const MAX_FILE_NAME_CHARS = 120;
/** How much of a plain-text document is checked (UTF-8, no control characters, no markup). */
export const TEXT_PREFIX_BYTES = 64 * 1024;

/**
 * Where objects live in the blob store: browsers upload under `uploads/` (short-lived, writable by
 * whoever holds an upload target); an accepted document is written by the app under `documents/`,
 * which no upload target ever names, so what a receipt hashed cannot be replaced afterwards.
 */
export const BLOB_PREFIXES = { uploads: 'uploads/', documents: 'documents/' } as const;

/** The accepted types: canonical media type and the extension a download gets. */
export const DOCUMENT_TYPES = {
  pdf: { mediaType: 'application/pdf', extension: 'pdf' },
  png: { mediaType: 'image/png', extension: 'png' },
  jpeg: { mediaType: 'image/jpeg', extension: 'jpg' },
  gif: { mediaType: 'image/gif', extension: 'gif' },
  webp: { mediaType: 'image/webp', extension: 'webp' },
  tiff: { mediaType: 'image/tiff', extension: 'tif' },
  heic: { mediaType: 'image/heic', extension: 'heic' },
  docx: {
    mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    extension: 'docx',
  },
  xlsx: { mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extension: 'xlsx' },
  pptx: {
    mediaType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    extension: 'pptx',
  },
  odt: { mediaType: 'application/vnd.oasis.opendocument.text', extension: 'odt' },
  ods: { mediaType: 'application/vnd.oasis.opendocument.spreadsheet', extension: 'ods' },
  odp: { mediaType: 'application/vnd.oasis.opendocument.presentation', extension: 'odp' },
  doc: { mediaType: 'application/msword', extension: 'doc' },
  xls: { mediaType: 'application/vnd.ms-excel', extension: 'xls' },
  ppt: { mediaType: 'application/vnd.ms-powerpoint', extension: 'ppt' },
  text: { mediaType: 'text/plain; charset=utf-8', extension: 'txt' },
} as const;

export type DocumentKind = keyof typeof DOCUMENT_TYPES;

export interface DocumentType {
  readonly kind: DocumentKind;
  readonly mediaType: (typeof DOCUMENT_TYPES)[DocumentKind]['mediaType'];
  readonly extension: string;
}

const KINDS = Object.keys(DOCUMENT_TYPES) as DocumentKind[];
const typeOf = (kind: DocumentKind): DocumentType => ({ kind, ...DOCUMENT_TYPES[kind] });
const MEDIA_TYPES = KINDS.map((k) => DOCUMENT_TYPES[k].mediaType) as [
  DocumentType['mediaType'],
  ...DocumentType['mediaType'][],
];

/** The accepted type with this canonical media type, or undefined. */
export function documentTypeOf(mediaType: string): DocumentType | undefined {
  const kind = KINDS.find((k) => DOCUMENT_TYPES[k].mediaType === mediaType);
  return kind === undefined ? undefined : typeOf(kind);
}

// ---------------------------------------------------------------------------------------------
// Type detection

const ascii = (bytes: Uint8Array, at: number, text: string): boolean => {
  if (at + text.length > bytes.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false;
  return true;
};
const startsWith = (bytes: Uint8Array, prefix: readonly number[]): boolean =>
  prefix.length <= bytes.length && prefix.every((b, i) => bytes[i] === b);
const u16 = (b: Uint8Array, at: number): number => (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
const u32 = (b: Uint8Array, at: number): number => (u16(b, at) | (u16(b, at + 2) << 16)) >>> 0;
const u32be = (b: Uint8Array, at: number): number =>
  (((b[at] ?? 0) << 24) | ((b[at + 1] ?? 0) << 16) | ((b[at + 2] ?? 0) << 8) | (b[at + 3] ?? 0)) >>> 0;
const latin1 = (b: Uint8Array, from: number, to: number): string =>
  String.fromCharCode(...b.subarray(from, Math.min(to, b.length)));

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const ZIP_LOCAL = [0x50, 0x4b, 0x03, 0x04];
const CFB = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/**
 * The document's type, decided by its content alone, or undefined when it is none of the accepted
 * types. Pass the whole document (the use case holds it anyway, to hash it): signatures are read
 * at the start, an OOXML package's entry list from its ZIP central directory at the end, a legacy
 * Office file's stream names from its CFB directory wherever it lies, and text on its first
 * TEXT_PREFIX_BYTES. Given only a prefix, OOXML and legacy Office documents are not recognised.
 */
export function detectType(content: Uint8Array): DocumentType | undefined {
  const kind = detectKind(content);
  return kind === undefined ? undefined : typeOf(kind);
}

function detectKind(b: Uint8Array): DocumentKind | undefined {
  if (b.length === 0) return undefined;
  if (ascii(b, 0, '%PDF-')) return 'pdf';
  if (startsWith(b, PNG)) return 'png';
  if (startsWith(b, JPEG)) return 'jpeg';
  if (ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a')) return 'gif';
  if (ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP')) return 'webp';
  if (startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (ascii(b, 4, 'ftyp') && isHeic(b)) return 'heic';
  if (startsWith(b, ZIP_LOCAL)) return openDocumentKind(b) ?? officeOpenXmlKind(b);
  if (startsWith(b, CFB)) return legacyOfficeKind(b);
  return isPlainText(b) ? 'text' : undefined;
}

const HEVC_BRANDS = new Set(['heic', 'heix']);

/** ISO BMFF `ftyp` box: major brand heic/heix, or mif1/msf1 declaring heic/heix as compatible. */
function isHeic(b: Uint8Array): boolean {
  const size = u32be(b, 0);
  if (size < 16 || size > b.length || size % 4 !== 0) return false;
  const major = latin1(b, 8, 12);
  if (HEVC_BRANDS.has(major)) return true;
  if (major !== 'mif1' && major !== 'msf1') return false;
  for (let at = 16; at + 4 <= size; at += 4) if (HEVC_BRANDS.has(latin1(b, at, at + 4))) return true;
  return false;
}

const OPEN_DOCUMENT: Record<string, DocumentKind> = {
  'application/vnd.oasis.opendocument.text': 'odt',
  'application/vnd.oasis.opendocument.spreadsheet': 'ods',
  'application/vnd.oasis.opendocument.presentation': 'odp',
};

/**
 * OpenDocument (ODF 1.2 part 3, §3.3): the package's first local file header is an uncompressed
 * entry named `mimetype` whose content is the media type.
 */
function openDocumentKind(b: Uint8Array): DocumentKind | undefined {
  const method = u16(b, 8);
  const size = u32(b, 18);
  const nameLength = u16(b, 26);
  const extraLength = u16(b, 28);
  if (method !== 0 || nameLength !== 8 || !ascii(b, 30, 'mimetype')) return undefined;
  const at = 30 + nameLength + extraLength;
  if (size > 100 || at + size > b.length) return undefined;
  return OPEN_DOCUMENT[latin1(b, at, at + size)];
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const MAX_ZIP_ENTRIES = 10_000;
const OOXML_PARTS: readonly [string, DocumentKind][] = [
  ['word/', 'docx'],
  ['xl/', 'xlsx'],
  ['ppt/', 'pptx'],
];

/**
 * Office Open XML (ECMA-376 part 2): a ZIP whose entries include `[Content_Types].xml` and one of
 * the `word/`, `xl/`, `ppt/` folders. The names come from the central directory, the list Office
 * itself reads; local headers are in writer order (openpyxl writes `[Content_Types].xml` last).
 */
function officeOpenXmlKind(b: Uint8Array): DocumentKind | undefined {
  const names = zipEntryNames(b);
  if (names === undefined || !names.includes('[Content_Types].xml')) return undefined;
  const kinds = OOXML_PARTS.filter(([folder]) => names.some((n) => n.startsWith(folder)));
  return kinds.length === 1 ? kinds[0]?.[1] : undefined;
}

function zipEntryNames(b: Uint8Array): string[] | undefined {
  const lowest = Math.max(0, b.length - 22 - 0xffff);
  for (let at = b.length - 22; at >= lowest; at--) {
    if (u32(b, at) !== EOCD) continue;
    const count = u16(b, at + 10);
    const size = u32(b, at + 12);
    let cursor = u32(b, at + 16);
    if (count > MAX_ZIP_ENTRIES || cursor + size > at) continue;
    const names: string[] = [];
    for (let i = 0; i < count; i++) {
      if (u32(b, cursor) !== CENTRAL) return undefined;
      const nameLength = u16(b, cursor + 28);
      const next = cursor + 46 + nameLength + u16(b, cursor + 30) + u16(b, cursor + 32);
      if (next > at) return undefined;
      names.push(latin1(b, cursor + 46, cursor + 46 + nameLength));
      cursor = next;
    }
    return names;
  }
  return undefined;
}

const END_OF_CHAIN = 0xfffffffe;
const NO_STREAM = 0xffffffff;
const LEGACY_STREAMS: readonly [string, DocumentKind][] = [
  ['WORDDOCUMENT', 'doc'],
  ['WORKBOOK', 'xls'],
  ['BOOK', 'xls'],
  ['POWERPOINT DOCUMENT', 'ppt'],
];

/**
 * Legacy Word, Excel and PowerPoint ([MS-CFB]): the root storage holds a `WordDocument`,
 * `Workbook` (or BIFF5 `Book`) or `PowerPoint Document` stream. Any other compound file (an MSI
 * installer, an Outlook message, a Visio drawing) is refused.
 */
function legacyOfficeKind(b: Uint8Array): DocumentKind | undefined {
  const names = cfbRootStreamNames(b);
  if (names === undefined) return undefined;
  for (const [stream, kind] of LEGACY_STREAMS) if (names.has(stream)) return kind;
  return undefined;
}

/** The upper-cased names of the root storage's children, or undefined when the file is malformed. */
function cfbRootStreamNames(b: Uint8Array): Set<string> | undefined {
  if (b.length < 512 || u16(b, 0x1c) !== 0xfffe) return undefined;
  const shift = u16(b, 0x1e);
  if (shift !== 9 && shift !== 12) return undefined;
  const sectorSize = 1 << shift;
  const sectorCount = Math.floor(b.length / sectorSize) - 1;
  const offset = (sector: number): number => (sector + 1) * sectorSize;
  const perSector = sectorSize / 4;

  // The FAT's sectors: 109 in the header, then a chain of DIFAT sectors.
  const fatSectors: number[] = [];
  for (let i = 0; i < 109; i++) fatSectors.push(u32(b, 0x4c + i * 4));
  let difat = u32(b, 0x44);
  for (let hops = 0; difat < sectorCount && hops <= sectorCount; hops++) {
    for (let i = 0; i < perSector - 1; i++) fatSectors.push(u32(b, offset(difat) + i * 4));
    difat = u32(b, offset(difat) + (perSector - 1) * 4);
  }
  const next = (sector: number): number => {
    const fat = fatSectors[Math.floor(sector / perSector)];
    if (fat === undefined || fat >= sectorCount) return END_OF_CHAIN;
    return u32(b, offset(fat) + (sector % perSector) * 4);
  };

  // The directory: 128-byte entries in the chain that starts at the header's first directory sector.
  const entries: number[] = [];
  const seen = new Set<number>();
  for (let s = u32(b, 0x30); s !== END_OF_CHAIN; s = next(s)) {
    if (s >= sectorCount || seen.has(s)) return undefined;
    seen.add(s);
    for (let i = 0; i < sectorSize / 128; i++) entries.push(offset(s) + i * 128);
  }
  const root = entries[0];
  if (root === undefined || b[root + 0x42] !== 5) return undefined;

  const names = new Set<string>();
  const visited = new Set<number>();
  const pending = [u32(b, root + 0x4c)];
  while (pending.length > 0) {
    const id = pending.pop()!;
    if (id === NO_STREAM) continue;
    const at = entries[id];
    if (at === undefined || visited.has(id)) return undefined;
    visited.add(id);
    const nameBytes = Math.min(u16(b, at + 0x40), 64);
    let name = '';
    for (let i = 0; i + 2 < nameBytes; i += 2) name += String.fromCharCode(u16(b, at + i));
    names.add(name.toUpperCase());
    pending.push(u32(b, at + 0x44), u32(b, at + 0x48));
  }
  return names;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];
// biome-ignore lint/suspicious/noControlCharactersInRegex: C0 controls other than tab, LF and CR
const C0_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;
/** What browsers and desktops take for markup or a script: a tag, comment, doctype or `#!`. */
const ACTIVE_START = /^\s*(?:<[\p{L}!?/]|#!)/u;

/**
 * Plain text: UTF-8 (BOM allowed), no C0 control other than tab, CR and LF, not starting like
 * markup or a script, judged on the first TEXT_PREFIX_BYTES (a character cut at that boundary is
 * not held against it).
 */
function isPlainText(b: Uint8Array): boolean {
  const start = startsWith(b, UTF8_BOM) ? UTF8_BOM.length : 0;
  const end = Math.min(b.length, start + TEXT_PREFIX_BYTES);
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  // A cut sequence is at most 3 bytes long; only a cut prefix may end in one.
  const cuts = end < b.length ? [0, 1, 2, 3] : [0];
  for (const cut of cuts) {
    if (cut > 0 && !isCutSequence(b.subarray(end - cut, end))) continue;
    let text: string;
    try {
      text = decoder.decode(b.subarray(start, end - cut));
    } catch {
      continue;
    }
    return !C0_CONTROL.test(text) && !ACTIVE_START.test(text);
  }
  return false;
}

/** A UTF-8 lead byte followed by continuation bytes only: a character cut short. */
const isCutSequence = (tail: Uint8Array): boolean =>
  (tail[0] ?? 0) >= 0xc0 && tail.subarray(1).every((byte) => byte >= 0x80 && byte < 0xc0);

// ---------------------------------------------------------------------------------------------
// File names

/** Path separators and the characters Windows reserves. */
const RESERVED = /[<>:"/\\|?*]/g;
/** Tabs and line breaks, which become blanks rather than vanish. */
const LINE_BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]/g;
/** Controls, format characters (bidi overrides and isolates, zero-width), lone surrogates. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}]/gu;
const EXTENSION = /\.[\p{L}\p{N}]{1,10}$/u;
const WINDOWS_DEVICE = /^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(?:\.|$)/i;
const FALLBACK_STEM = 'documento';
// Made at the first file name: building a Segmenter loads ICU's break data (~30 ms of a cold start).
let segmenter: Intl.Segmenter | undefined;
const graphemes = () => {
  segmenter ??= new Intl.Segmenter('und', { granularity: 'grapheme' });
  return segmenter;
};

/**
 * A safe display and download name for a document of this type: the last path part of `name`,
 * NFC, without control, format (bidi, zero-width) or reserved (`<>:"/\|?*`) characters, blanks
 * collapsed, no leading or trailing dot or blank, not a Windows device name, at most
 * MAX_FILE_NAME_CHARS code points (cut between characters as a reader sees them), and ending in
 * the type's extension, which replaces the one given. Never empty.
 */
export function sanitizeFileName(name: string, type: Pick<DocumentType, 'extension'>): string {
  const lastPart = name.split(/[/\\]/).at(-1) ?? '';
  let stem = lastPart
    .replace(LINE_BREAKS, ' ')
    .replace(INVISIBLE, '')
    .normalize('NFC')
    .replace(RESERVED, '_')
    .replace(/\s+/gu, ' ')
    .replace(/[\s.]+$/u, '')
    .replace(EXTENSION, '');
  const room = MAX_FILE_NAME_CHARS - type.extension.length - 1;
  stem = trimStem(cut(trimStem(stem), room));
  if (WINDOWS_DEVICE.test(stem)) stem = trimStem(cut(`_${stem}`, room));
  return `${stem === '' ? FALLBACK_STEM : stem}.${type.extension}`;
}

const trimStem = (stem: string): string => stem.replace(/^[\s.]+|[\s.]+$/gu, '');

/** The longest run of whole graphemes of `text` whose NFC form has at most `room` code points. */
function cut(text: string, room: number): string {
  if ([...text].length <= room) return text;
  let kept = '';
  for (const { segment } of graphemes().segment(text)) {
    const longer = (kept + segment).normalize('NFC');
    if ([...longer].length > room) break;
    kept = longer;
  }
  return kept;
}

// ---------------------------------------------------------------------------------------------
// The reference a submission keeps

/** 16 random bytes, base64url (what the use case draws for each upload). */
export const DOCUMENT_ID = pattern(
  /^[A-Za-z0-9_-]{22}$/,
  'el id de 22 caracteres de un documento, el que dio POST /v1/uploads',
  'a document id of 22 characters, as POST /v1/uploads gave it',
);
export const SHA256_HEX = pattern(
  /^[0-9a-f]{64}$/,
  'el SHA-256 del archivo: 64 dígitos hexadecimales en minúscula',
  'the SHA-256 of the file: 64 lower-case hex digits',
);

/** A submission's documents: the ids POST /v1/uploads gave, at most MAX_DOCUMENTS_PER_SUBMISSION. */
export const AttachmentsSchema = z
  .array(z.string().regex(DOCUMENT_ID))
  .max(MAX_DOCUMENTS_PER_SUBMISSION, { message: `attach at most ${MAX_DOCUMENTS_PER_SUBMISSION} documents` })
  .optional()
  .describe('Documents uploaded first with POST /v1/uploads (their ids)');

export interface DocumentRef {
  readonly id: string;
  /** Personal data: never logged. */
  readonly fileName: string;
  readonly mediaType: DocumentType['mediaType'];
  readonly bytes: number;
  /** SHA-256 of the content, lower-case hex. */
  readonly sha256: string;
}

export const documentRefSchema = z
  .object({
    id: z.string().regex(DOCUMENT_ID),
    fileName: z
      .string()
      .min(1)
      .max(MAX_FILE_NAME_CHARS * 2),
    mediaType: z.enum(MEDIA_TYPES),
    bytes: z.number().int().min(1).max(MAX_DOCUMENT_BYTES),
    sha256: z.string().regex(SHA256_HEX),
  })
  .refine((d) => sanitizeFileName(d.fileName, documentTypeOf(d.mediaType)!) === d.fileName, {
    ...refinement(
      'invalid_format',
      'debe ser un nombre de archivo saneado, con la extensión de su tipo',
      'fileName must be a sanitised name with its type’s extension',
    ),
    path: ['fileName'],
  });

export type DocumentRefusal = 'empty' | 'too_large' | 'unsupported_type' | 'digest_mismatch';

export type Inspection = { ok: true; document: DocumentRef } | { ok: false; reason: DocumentRefusal };

/**
 * Checks one uploaded document and makes its reference: not empty, at most MAX_DOCUMENT_BYTES
 * (413), an accepted type by its content (415), the SHA-256 the submission declared (422), and
 * a sanitised name with the detected type's extension.
 */
export function inspectDocument(input: {
  id: string;
  fileName: string;
  content: Uint8Array;
  /** The SHA-256 (hex) the submission declared, when it declared one. */
  sha256?: string;
}): Inspection {
  const { content } = input;
  if (content.length === 0) return { ok: false, reason: 'empty' };
  if (content.length > MAX_DOCUMENT_BYTES) return { ok: false, reason: 'too_large' };
  const type = detectType(content);
  if (type === undefined) return { ok: false, reason: 'unsupported_type' };
  const sha256 = sha256Hex(content);
  if (input.sha256 !== undefined && input.sha256.toLowerCase() !== sha256) {
    return { ok: false, reason: 'digest_mismatch' };
  }
  return {
    ok: true,
    document: {
      id: input.id,
      fileName: sanitizeFileName(input.fileName, type),
      mediaType: type.mediaType,
      bytes: content.length,
      sha256,
    },
  };
}

export const sha256Hex = (content: Uint8Array): string => hash('sha256', content, 'hex');

import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DOCUMENT_TYPES,
  type DocumentKind,
  detectType,
  documentRefSchema,
  inspectDocument,
  MAX_DOCUMENT_BYTES,
  MAX_FILE_NAME_CHARS,
  sanitizeFileName,
  TEXT_PREFIX_BYTES,
} from '#domain/documents.ts';
import {
  compoundFile,
  gif,
  heic,
  isoBmff,
  jpeg,
  ooxml,
  openDocument,
  pdf,
  png,
  tiff,
  webp,
  zip,
} from '#test/support/documentFixtures.ts';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const kindOf = (content: Uint8Array): DocumentKind | undefined => detectType(content)?.kind;

describe('detectType: accepted documents, by their bytes', () => {
  it.each([
    ['a PDF', 'pdf', pdf()],
    ['a PNG', 'png', png()],
    ['a JPEG', 'jpeg', jpeg()],
    ['a GIF', 'gif', gif()],
    ['a WebP', 'webp', webp()],
    ['a little-endian TIFF', 'tiff', tiff('II')],
    ['a big-endian TIFF', 'tiff', tiff('MM')],
    ['a HEIC (major brand heic)', 'heic', heic()],
    ['a HEIC (mif1 declaring heic)', 'heic', isoBmff('mif1', ['mif1', 'heic'])],
    ['a DOCX in Office order', 'docx', ooxml('docx')],
    ['an XLSX with [Content_Types].xml last (openpyxl)', 'xlsx', ooxml('xlsx', 'contentTypesLast')],
    ['a PPTX', 'pptx', ooxml('pptx')],
    ['an ODT', 'odt', openDocument('application/vnd.oasis.opendocument.text')],
    ['an ODS', 'ods', openDocument('application/vnd.oasis.opendocument.spreadsheet')],
    ['an ODP', 'odp', openDocument('application/vnd.oasis.opendocument.presentation')],
    ['a DOC', 'doc', compoundFile(['1Table', 'WordDocument', '\u0005SummaryInformation'])],
    ['an XLS', 'xls', compoundFile(['Workbook'])],
    ['a BIFF5 XLS', 'xls', compoundFile(['Book'])],
    ['a PPT', 'ppt', compoundFile(['Current User', 'PowerPoint Document'])],
    ['a DOC with 4096-byte sectors', 'doc', compoundFile(['WordDocument'], { version: 4 })],
    [
      'a DOC whose directory spans two sectors after 62 KiB of others',
      'doc',
      compoundFile(['A', 'B', 'C', 'D', 'E', 'WordDocument'], { padding: 125 }),
    ],
    [
      'a DOC whose directory lies past 80 KiB',
      'doc',
      compoundFile(['WordDocument'], { version: 4, padding: 20 }),
    ],
    ['plain text', 'text', utf8('Solicito copia del acta.\r\n\tGracias.')],
    ['UTF-8 text with a BOM', 'text', utf8('\uFEFFPetición de información')],
    ['text that mentions markup later on', 'text', utf8('Adjunto: la página decía <b>cerrado</b>.')],
  ] as const)('%s → %s', (_what, kind, content) => {
    // Act
    const type = detectType(content);
    // Assess
    expect(type?.kind).toBe(kind);
    expect(type?.mediaType).toBe(DOCUMENT_TYPES[kind].mediaType);
    expect(type?.extension).toBe(DOCUMENT_TYPES[kind].extension);
  });

  it('reads the central directory of a DOCX from the whole file, not from a prefix', () => {
    // Prepare: the package, and its first half (the central directory is at the end)
    const docx = ooxml('docx');
    // Act / Assess
    expect(kindOf(docx)).toBe('docx');
    expect(kindOf(docx.subarray(0, docx.length >> 1))).toBeUndefined();
  });

  it('judges text on its first 64 KiB: a character cut at the boundary is fine, a control before it is not', () => {
    // Prepare: "ñ" (2 bytes) straddles the boundary
    const head = 'a'.repeat(TEXT_PREFIX_BYTES - 1);
    const straddling = utf8(`${head}ñ and more`);
    const controlInside = utf8(`${'a'.repeat(100)}\u0007${head}`);
    const controlAfter = utf8(`${head}a\u0007`);
    // Act / Assess
    expect(kindOf(straddling)).toBe('text');
    expect(kindOf(controlInside)).toBeUndefined();
    expect(kindOf(controlAfter)).toBe('text');
  });
});

describe('detectType: refused content', () => {
  const windowsExe = new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00]);
  const elf = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]);
  it.each([
    ['an empty file', new Uint8Array()],
    ['a Windows executable (MZ)', windowsExe],
    ['an ELF executable', elf],
    ['an HTML page', utf8('<!DOCTYPE html><html><body>hola</body></html>')],
    ['an HTML fragment after blank lines', utf8('\n\n  <script>alert(1)</script>')],
    ['an SVG image', utf8('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')],
    ['an XML document', utf8('<?xml version="1.0"?><a/>')],
    ['HTML after a BOM', utf8('\uFEFF<html>')],
    ['a shell script', utf8('#!/bin/sh\nrm -rf /\n')],
    ['text with a NUL', utf8('hola\u0000mundo')],
    ['text with an escape (ANSI sequence)', utf8('hola \u001b[31mmundo')],
    ['Latin-1 text (not UTF-8)', new Uint8Array([0x50, 0x65, 0x74, 0x69, 0x63, 0x69, 0xf3, 0x6e])],
    ['a plain ZIP', zip([{ name: 'informe.txt', data: 'hola' }])],
    [
      'a JAR',
      zip([
        { name: 'META-INF/MANIFEST.MF', data: 'Main-Class: X' },
        { name: 'X.class', data: 'x' },
      ]),
    ],
    ['an EPUB', openDocument('application/epub+zip')],
    [
      'an ODF template (not text, spreadsheet or presentation)',
      openDocument('application/vnd.oasis.opendocument.graphics'),
    ],
    [
      'an ODT whose mimetype is not first',
      openDocument('application/vnd.oasis.opendocument.text', { mimetypeFirst: false }),
    ],
    ['an OOXML without [Content_Types].xml', zip([{ name: 'word/document.xml', data: '<w/>' }])],
    [
      'a package with both word/ and xl/',
      zip([
        { name: '[Content_Types].xml', data: '<T/>' },
        { name: 'word/a.xml', data: '<a/>' },
        { name: 'xl/b.xml', data: '<b/>' },
      ]),
    ],
    [
      'an MSI installer (a compound file without Office streams)',
      compoundFile(['\u4840\u3f3f\u4577\u6c3f', 'SummaryInformation']),
    ],
    ['a truncated compound file', compoundFile(['WordDocument']).subarray(0, 600)],
    ['an MP4 video', isoBmff('isom', ['isom', 'mp41'])],
    ['an AVIF image', isoBmff('avif', ['avif', 'mif1'])],
  ] as const)('%s → undefined', (_what, content) => {
    expect(detectType(content)).toBeUndefined();
  });

  it('ignores the name and the declared type: a PDF named .exe is a PDF, an EXE named .pdf is refused', () => {
    // Act
    const pdfNamedExe = inspectDocument({ id: 'a'.repeat(22), fileName: 'virus.exe', content: pdf() });
    const exeNamedPdf = inspectDocument({
      id: 'b'.repeat(22),
      fileName: 'informe.pdf',
      content: new Uint8Array([0x4d, 0x5a, 0x90, 0x00]),
    });
    // Assess
    expect(pdfNamedExe).toMatchObject({
      ok: true,
      document: { fileName: 'virus.pdf', mediaType: 'application/pdf' },
    });
    expect(exeNamedPdf).toEqual({ ok: false, reason: 'unsupported_type' });
  });
});

describe('inspectDocument', () => {
  const id = 'Zx8_k2LmQ0aB-cD3eF4gHw';

  it('makes the reference: sanitised name, canonical type, size, SHA-256', () => {
    // Prepare
    const content = png();
    const sha256 = createHash('sha256').update(content).digest('hex');
    // Act
    const result = inspectDocument({ id, fileName: 'C:\\fakepath\\Foto cédula.PNG', content, sha256 });
    // Assess
    expect(result).toEqual({
      ok: true,
      document: { id, fileName: 'Foto cédula.png', mediaType: 'image/png', bytes: content.length, sha256 },
    });
    expect(documentRefSchema.safeParse(result.ok ? result.document : undefined).success).toBe(true);
  });

  it.each([
    ['empty', new Uint8Array(), undefined, 'empty'],
    ['one byte over 10 MiB', new Uint8Array(MAX_DOCUMENT_BYTES + 1), undefined, 'too_large'],
    ['a declared SHA-256 that is not the content’s', pdf(), '0'.repeat(64), 'digest_mismatch'],
  ] as const)('refuses %s', (_what, content, sha256, reason) => {
    const result = inspectDocument({ id, fileName: 'x.pdf', content, ...(sha256 ? { sha256 } : {}) });
    expect(result).toEqual({ ok: false, reason });
  });

  it('accepts exactly 10 MiB, and an upper-case declared digest', () => {
    // Prepare: a PDF header padded to the limit
    const content = new Uint8Array(MAX_DOCUMENT_BYTES);
    content.set(pdf());
    const sha256 = createHash('sha256').update(content).digest('hex').toUpperCase();
    // Act / Assess
    expect(inspectDocument({ id, fileName: 'x.pdf', content, sha256 })).toMatchObject({ ok: true });
  });
});

describe('sanitizeFileName', () => {
  const PDF = DOCUMENT_TYPES.pdf;

  it.each([
    ['informe.pdf', 'informe.pdf'],
    ['../../etc/passwd', 'passwd.pdf'],
    ['C:\\Users\\ana\\Desktop\\derecho de petición.docx', 'derecho de petición.pdf'],
    ['factura\u202Efdp.exe', 'facturafdp.pdf'],
    ['a\u0000b\u0007c\u200Bd\u2066e.pdf', 'abcde.pdf'],
    ['<script>:"|?*.pdf', '_script______.pdf'],
    ['   .hidden.pdf  ', 'hidden.pdf'],
    ['...', 'documento.pdf'],
    ['', 'documento.pdf'],
    ['.pdf', 'documento.pdf'],
    ['CON.pdf', '_CON.pdf'],
    ['lpt1', '_lpt1.pdf'],
    ['versión 1.2 del informe', 'versión 1.2 del informe.pdf'],
    ['Peticio\u0301n.pdf', 'Petición.pdf'],
    ['tabs\tand\nnewlines   collapse.pdf', 'tabs and newlines collapse.pdf'],
    ['informe.pdf.', 'informe.pdf'],
  ])('%j → %j', (name, expected) => {
    expect(sanitizeFileName(name, PDF)).toBe(expected);
  });

  it('keeps the extension when it cuts a long name, between whole characters', () => {
    // Prepare: 200 family emoji (each several code points joined by ZWJ, which is dropped)
    const long = `${'ñ'.repeat(300)}.pdf`;
    const accents = `${'e\u0301'.repeat(200)}.pdf`;
    // Act
    const cutLong = sanitizeFileName(long, PDF);
    const cutAccents = sanitizeFileName(accents, DOCUMENT_TYPES.docx);
    // Assess
    expect([...cutLong]).toHaveLength(MAX_FILE_NAME_CHARS);
    expect(cutLong.endsWith('ñ.pdf')).toBe(true);
    expect(cutAccents).toBe(`${'é'.repeat(MAX_FILE_NAME_CHARS - 5)}.docx`);
  });

  const anyName = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.string({ unit: 'grapheme', maxLength: 200 }),
    fc
      .array(
        fc.constantFrom(
          '.',
          ' ',
          '/',
          '\\',
          '\u202E',
          '\u0000',
          'a',
          'é',
          'e\u0301',
          '👨‍👩‍👧',
          'CON',
          '\t',
          '<',
        ),
        {
          maxLength: 200,
        },
      )
      .map((parts) => parts.join('')),
  );
  const anyType = fc.constantFrom(...(Object.values(DOCUMENT_TYPES) as { extension: string }[]));

  it('property: never empty, at most 120 characters, NFC, no dot first, the type’s extension last', () => {
    fc.assert(
      fc.property(anyName, anyType, (name, type) => {
        const safe = sanitizeFileName(name, type);
        expect([...safe].length).toBeLessThanOrEqual(MAX_FILE_NAME_CHARS);
        expect(safe.length).toBeGreaterThan(type.extension.length + 1);
        expect(safe.normalize('NFC')).toBe(safe);
        expect(safe.startsWith('.')).toBe(false);
        expect(safe.startsWith(' ')).toBe(false);
        expect(safe.endsWith(`.${type.extension}`)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: no path part, control, format, surrogate or reserved character survives', () => {
    fc.assert(
      fc.property(anyName, anyType, (name, type) => {
        const safe = sanitizeFileName(name, type);
        expect(safe).not.toMatch(/[<>:"/\\|?*]/);
        expect(safe).not.toMatch(/[\p{Cc}\p{Cf}\p{Cs}]/u);
        expect(safe).not.toMatch(/^(?:con|prn|aux|nul|com\d|lpt\d)(?:\.|$)/i);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: idempotent (a sanitised name is its own sanitised name)', () => {
    fc.assert(
      fc.property(anyName, anyType, (name, type) => {
        const safe = sanitizeFileName(name, type);
        expect(sanitizeFileName(safe, type)).toBe(safe);
      }),
      { numRuns: 2000 },
    );
  });
});

/**
 * Tiny real documents, built byte by byte: each starts (and, for packages, is laid out) as the
 * format's specification says, so type detection is tested on what writers produce, not on mocks.
 */
import { crc32, deflateRawSync } from 'node:zlib';

const bytes = (...parts: (string | readonly number[] | Uint8Array)[]): Uint8Array =>
  Buffer.concat(
    parts.map((p) =>
      typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p as readonly number[]),
    ),
  );

export const pdf = (): Uint8Array =>
  bytes(
    '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n',
    '2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
  );

/** A 1×1 PNG: signature, IHDR, IDAT, IEND with their CRCs. */
export function png(): Uint8Array {
  const chunk = (type: string, data: Uint8Array): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
  const idat = deflateRawSync(Buffer.from([0, 0]));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', idat),
    chunk('IEND', new Uint8Array()),
  ]);
}

/** SOI, a JFIF APP0 segment, EOI. */
export const jpeg = (): Uint8Array =>
  bytes([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10], 'JFIF\0', [1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9]);

/** A 1×1 GIF89a. */
export const gif = (): Uint8Array =>
  bytes(
    'GIF89a',
    [
      1, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 1, 0,
      0x3b,
    ],
  );

export const webp = (): Uint8Array => {
  const vp8l = bytes('VP8L', [5, 0, 0, 0], [0x2f, 0, 0, 0, 0], [0]);
  const size = Buffer.alloc(4);
  size.writeUInt32LE(4 + vp8l.length);
  return bytes('RIFF', size, 'WEBP', vp8l);
};

export const tiff = (order: 'II' | 'MM' = 'II'): Uint8Array =>
  order === 'II' ? bytes('II', [0x2a, 0, 8, 0, 0, 0], [0, 0]) : bytes('MM', [0, 0x2a, 0, 0, 0, 8], [0, 0]);

/** An ISO BMFF `ftyp` box with these brands, then an empty `meta` box. */
export function isoBmff(major: string, compatible: readonly string[]): Uint8Array {
  const ftyp = Buffer.alloc(16 + 4 * compatible.length);
  ftyp.writeUInt32BE(ftyp.length, 0);
  ftyp.write('ftyp', 4, 'latin1');
  ftyp.write(major, 8, 'latin1');
  compatible.forEach((brand, i) => {
    ftyp.write(brand, 16 + 4 * i, 'latin1');
  });
  return bytes(ftyp, [0, 0, 0, 12], 'meta', [0, 0, 0, 0]);
}

export const heic = (): Uint8Array => isoBmff('heic', ['mif1', 'heic']);

export interface ZipEntry {
  name: string;
  data: string | Uint8Array;
  /** Stored (method 0) instead of deflated. */
  stored?: boolean;
}

/** A ZIP archive (APPNOTE 6.3): local headers and data in order, the central directory, the EOCD. */
export function zip(entries: readonly ZipEntry[]): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const raw = typeof entry.data === 'string' ? Buffer.from(entry.data, 'utf8') : Buffer.from(entry.data);
    const data = entry.stored ? raw : deflateRawSync(raw);
    const name = Buffer.from(entry.name, 'utf8');
    const crc = crc32(raw);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(entry.stored ? 0 : 8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(entry.stored ? 0 : 8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(raw.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const CONTENT_TYPES = (main: string): string =>
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  `<Override PartName="${main}" ContentType="application/xml"/></Types>`;
const RELS = (main: string): string =>
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="${main.slice(1)}"/>` +
  '</Relationships>';

/** A minimal OOXML package in Office's order ([Content_Types].xml first) or openpyxl's (last). */
export function ooxml(
  kind: 'docx' | 'xlsx' | 'pptx',
  order: 'office' | 'contentTypesLast' = 'office',
): Uint8Array {
  const main = { docx: '/word/document.xml', xlsx: '/xl/workbook.xml', pptx: '/ppt/presentation.xml' }[kind];
  const types: ZipEntry = { name: '[Content_Types].xml', data: CONTENT_TYPES(main) };
  const parts: ZipEntry[] = [
    { name: '_rels/.rels', data: RELS(main) },
    { name: main.slice(1), data: '<?xml version="1.0" encoding="UTF-8"?><root/>' },
  ];
  return zip(order === 'office' ? [types, ...parts] : [...parts, types]);
}

/** A minimal OpenDocument package: the stored `mimetype` entry first, then the manifest and content. */
export function openDocument(mediaType: string, options: { mimetypeFirst?: boolean } = {}): Uint8Array {
  const mimetype: ZipEntry = { name: 'mimetype', data: mediaType, stored: true };
  const rest: ZipEntry[] = [
    { name: 'META-INF/manifest.xml', data: '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest/>' },
    { name: 'content.xml', data: '<?xml version="1.0" encoding="UTF-8"?><office:document-content/>' },
  ];
  return zip(options.mimetypeFirst === false ? [...rest, mimetype] : [mimetype, ...rest]);
}

const FREE = 0xffffffff;
const END_OF_CHAIN = 0xfffffffe;
const FAT_SECTOR = 0xfffffffd;

/**
 * A compound file ([MS-CFB]) whose root storage holds these streams (empty), laid out as
 * header, FAT sector, `padding` filler sectors, directory sectors. Version 3 (512-byte sectors)
 * or 4 (4096).
 */
export function compoundFile(
  streams: readonly string[],
  options: { version?: 3 | 4; padding?: number } = {},
): Uint8Array {
  const version = options.version ?? 3;
  const sectorSize = version === 3 ? 512 : 4096;
  const padding = options.padding ?? 0;
  const perDirSector = sectorSize / 128;
  const entries = 1 + streams.length;
  const dirSectors = Math.ceil(entries / perDirSector);
  const sectors = 1 + padding + dirSectors;
  if (sectors > sectorSize / 4) throw new Error('one FAT sector only');
  const firstDir = 1 + padding;

  const header = Buffer.alloc(sectorSize);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header, 0);
  header.writeUInt16LE(0x3e, 0x18);
  header.writeUInt16LE(version, 0x1a);
  header.writeUInt16LE(0xfffe, 0x1c);
  header.writeUInt16LE(version === 3 ? 9 : 12, 0x1e);
  header.writeUInt16LE(6, 0x20);
  header.writeUInt32LE(1, 0x2c);
  header.writeUInt32LE(firstDir, 0x30);
  header.writeUInt32LE(4096, 0x38);
  header.writeUInt32LE(END_OF_CHAIN, 0x3c);
  header.writeUInt32LE(END_OF_CHAIN, 0x44);
  for (let i = 0; i < 109; i++) header.writeUInt32LE(i === 0 ? 0 : FREE, 0x4c + i * 4);

  const fat = Buffer.alloc(sectorSize, 0xff);
  fat.writeUInt32LE(FAT_SECTOR, 0);
  for (let s = 1; s <= padding; s++) fat.writeUInt32LE(s === padding ? END_OF_CHAIN : s + 1, s * 4);
  for (let d = 0; d < dirSectors; d++) {
    const s = firstDir + d;
    fat.writeUInt32LE(d === dirSectors - 1 ? END_OF_CHAIN : s + 1, s * 4);
  }

  const directory = Buffer.alloc(dirSectors * sectorSize);
  const entry = (index: number, name: string, type: number, child: number, right: number): void => {
    const at = index * 128;
    const encoded = Buffer.from(`${name}\0`, 'utf16le');
    encoded.copy(directory, at);
    directory.writeUInt16LE(encoded.length, at + 0x40);
    directory.writeUInt8(type, at + 0x42);
    directory.writeUInt8(1, at + 0x43);
    directory.writeUInt32LE(FREE, at + 0x44);
    directory.writeUInt32LE(right, at + 0x48);
    directory.writeUInt32LE(child, at + 0x4c);
    directory.writeUInt32LE(END_OF_CHAIN, at + 0x74);
  };
  // The root's children as a chain of right siblings (a degenerate but valid red-black tree).
  entry(0, 'Root Entry', 5, streams.length > 0 ? 1 : FREE, FREE);
  streams.forEach((name, i) => {
    entry(i + 1, name, 2, FREE, i + 1 < streams.length ? i + 2 : FREE);
  });
  for (let i = entries; i < dirSectors * perDirSector; i++) {
    directory.writeUInt32LE(FREE, i * 128 + 0x44);
    directory.writeUInt32LE(FREE, i * 128 + 0x48);
    directory.writeUInt32LE(FREE, i * 128 + 0x4c);
  }
  return Buffer.concat([header, fat, Buffer.alloc(padding * sectorSize), directory]);
}

/**
 * Documents (issue 13): ask for an upload target (the browser then sends the file straight to the
 * bucket), reference the attachment id in a submission, download a case's document by a
 * short-lived link.
 */
import * as z from 'zod';
import { DUTIES } from '#domain/actor.ts';
import { DOCUMENT_ID, MAX_DOCUMENT_BYTES, SHA256_HEX } from '#domain/documents.ts';
import { defineRoute } from '../route.ts';
import { DEVICE_KEY, Instant, Radicado } from './filing.ts';

const DocumentSchema = z.object({
  id: z.string(),
  fileName: z.string().describe('Sanitised, with the extension of the type its bytes show'),
  mediaType: z.string(),
  bytes: z.number().int(),
  sha256: z.string(),
});

export const requestUploadRoute = defineRoute({
  operationId: 'requestUpload',
  method: 'POST',
  path: '/v1/uploads',
  fn: 'Documents',
  access: {
    public:
      'Petitioners attach documents without an account: an upload target is given to a device (X-Device-Key, kept as a keyed hash), a tracking code or an identity token, at most UPLOADS_PER_HOUR an hour each; it only lets the browser put one object of at most 10 MB under uploads/, which nobody can read back until a submission accepts it (type by content, SHA-256 checked).',
    officer: DUTIES.caseWork,
    citizen: 'optional',
  },
  summary: 'Ask to upload a document (then POST the file to the target, then reference its id)',
  description:
    "Declare the file (name, size, SHA-256 of its bytes); the answer gives an `attachmentId` and an upload target: POST the form `fields` and then the `file` to `url` (as a browser sends an S3 form) within 15 minutes. Reference the id in `attachments` of a filing, a reply or an officer's request or answer within a day. There the document is checked: at most 10 MB (413), a PDF, image, office document or plain text by its content (415), the SHA-256 declared (422). Identify yourself with X-Device-Key, X-Tracking-Code or a token; too many uploads in an hour → 429 with Retry-After.",
  tags: ['documents'],
  headers: z.object({
    'x-tracking-code': z.string().max(64).optional(),
    'x-device-key': z.string().regex(DEVICE_KEY).optional(),
  }),
  body: z.strictObject({
    fileName: z.string().trim().min(1).max(255),
    bytes: z.number().int().min(1).max(MAX_DOCUMENT_BYTES),
    sha256: z.string().regex(SHA256_HEX),
  }),
  responses: {
    201: {
      description: 'The upload target',
      schema: z.object({
        attachmentId: z.string().regex(DOCUMENT_ID),
        upload: z.object({
          url: z.string(),
          method: z.literal('POST'),
          fields: z.record(z.string(), z.string()),
          expiresAt: Instant,
        }),
        maxBytes: z.number().int(),
      }),
    },
  },
  problems: [413, 429],
});

export const downloadDocumentRoute = defineRoute({
  operationId: 'downloadDocument',
  method: 'GET',
  path: '/v1/cases/{radicado}/documents/{documentId}',
  fn: 'Documents',
  access: {
    public:
      "A case's documents are its petitioner's and its entity's: the X-Tracking-Code (or a linked identity) is checked as for following the case (the same 404 otherwise), an officer's token as for reading it; the link answered is short-lived and names one object.",
    officer: DUTIES.caseWork,
    citizen: 'optional',
  },
  summary: "A short-lived link to download one of a case's documents",
  description:
    'For the petitioner (X-Tracking-Code or identity token) and the officers who may read the case. The link works for 5 minutes and downloads the document as an attachment.',
  tags: ['documents'],
  params: z.object({
    radicado: Radicado,
    documentId: z.string().regex(DOCUMENT_ID),
  }),
  headers: z.object({ 'x-tracking-code': z.string().max(64).optional() }),
  responses: {
    200: {
      description: 'The document and its link',
      schema: DocumentSchema.extend({ url: z.string(), expiresAt: Instant }),
    },
  },
  problems: [404],
});

export const DOCUMENT_ROUTES = [requestUploadRoute, downloadDocumentRoute] as const;

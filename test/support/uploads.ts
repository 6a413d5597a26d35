/**
 * A document uploaded the way a browser does it: POST /v1/uploads declares it, then the file goes
 * to the upload target as a multipart form (fields first, then `file`). Returns the attachment id.
 */
import { createHash } from 'node:crypto';

export async function uploadDocument(
  baseUrl: string,
  content: Uint8Array,
  fileName: string,
  headers: Record<string, string> = { 'x-device-key': 'test-device-000000000001' },
): Promise<string> {
  const declared = await fetch(`${baseUrl}/v1/uploads`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({
      fileName,
      bytes: content.length,
      sha256: createHash('sha256').update(content).digest('hex'),
    }),
  });
  if (declared.status !== 201)
    throw new Error(`POST /v1/uploads answered ${declared.status}: ${await declared.text()}`);
  const granted = (await declared.json()) as {
    attachmentId: string;
    upload: { url: string; fields: Record<string, string> };
  };
  const form = new FormData();
  for (const [name, value] of Object.entries(granted.upload.fields)) form.append(name, value);
  form.append('file', new Blob([content]), fileName);
  const sent = await fetch(granted.upload.url, { method: 'POST', body: form });
  if (sent.status >= 300) throw new Error(`the upload answered ${sent.status}: ${await sent.text()}`);
  return granted.attachmentId;
}

/** A minimal real PDF (its bytes say PDF). */
export const tinyPdf = (text = 'prueba'): Uint8Array =>
  Buffer.from(`%PDF-1.4\n1 0 obj\n<< /Title (${text}) >>\nendobj\ntrailer\n<<>>\n%%EOF\n`, 'latin1');

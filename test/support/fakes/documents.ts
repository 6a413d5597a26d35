/**
 * DocumentUploads in memory (shared/ports/documents.ts): an upload once per id.
 */
import type { DocumentUploads, PendingUpload } from '#ports/documents.ts';

export class InMemoryUploads implements DocumentUploads {
  private readonly uploads = new Map<string, PendingUpload>();

  async put(upload: PendingUpload): Promise<void> {
    if (this.uploads.has(upload.id)) throw new Error(`upload ${upload.id} exists`);
    this.uploads.set(upload.id, { ...upload });
  }

  async get(id: string): Promise<PendingUpload | undefined> {
    const found = this.uploads.get(id);
    return found ? { ...found } : undefined;
  }
}

/**
 * DocumentUploads in memory (shared/ports/documents.ts): an upload once per id; the count of an
 * uploader's uploads in a window grows only while under the limit.
 */
import type { DocumentUploads, PendingUpload } from '#ports/documents.ts';

export class InMemoryUploads implements DocumentUploads {
  private readonly uploads = new Map<string, PendingUpload>();
  private readonly counts = new Map<string, number>();

  async put(upload: PendingUpload): Promise<void> {
    if (this.uploads.has(upload.id)) throw new Error(`upload ${upload.id} exists`);
    this.uploads.set(upload.id, { ...upload });
  }

  async get(id: string): Promise<PendingUpload | undefined> {
    const found = this.uploads.get(id);
    return found ? { ...found } : undefined;
  }

  async count(owner: string, window: string, limit: number): Promise<boolean> {
    const key = `${owner}#${window}`;
    const n = this.counts.get(key) ?? 0;
    if (n >= limit) return false;
    this.counts.set(key, n + 1);
    return true;
  }
}

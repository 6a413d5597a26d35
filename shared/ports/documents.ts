/**
 * What the documents' use cases keep besides the bytes (the BlobStore): the upload a client asked
 * for (what it declared: name, size, SHA-256), and how many uploads one uploader asked for lately.
 */

export interface PendingUpload {
  id: string;
  /** Who asked (a keyed hash or an officer's subject; never personal data). */
  owner: string;
  /** As the client named it; sanitised when the document is accepted. Personal data: never logged. */
  fileName: string;
  bytes: number;
  sha256: string;
  createdAt: string;
  /** Epoch seconds after which the upload is forgotten (and its object expires). */
  expiresAt: number;
}

export interface DocumentUploads {
  /** Records an upload target given out. */
  put(upload: PendingUpload): Promise<void>;
  get(id: string): Promise<PendingUpload | undefined>;
}

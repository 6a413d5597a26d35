/**
 * What the local queues hold, kept on disk under DATA_DIR (issue 16): fauxqs keeps messages in
 * memory only, so a crash or a Ctrl-C lost what SQS had accepted (a comment answered 202, a pipe's
 * message). sqs.ts journals here every message a queue accepts and every one deleted, and puts the
 * ones not deleted back when the queue is created at the next start (redelivered: the consumers
 * are idempotent).
 *
 * One append-only file for all queues (`<dir>/journal.jsonl`): a dead-letter move is one line (an
 * `add` to the DLQ takes the message from its queue) and a group of writes costs one fdatasync. Writes are grouped: `durable()` resolves once everything journalled before it is on
 * disk, which SendMessage(Batch) awaits before its 200. Compacted (rewritten with the live
 * messages only, temp file + rename) at start and when it grows past `compactBytes`.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { type FileHandle, open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { SqsMessage } from '../../node_modules/fauxqs/dist/sqs/sqsTypes.js';

export type { SqsMessage };

type JournalRecord =
  | { q: string; add: SqsMessage }
  | { q: string; rcv: string; at: number }
  | { q: string; del: string }
  | { q: string; purge: true };

/** A message not deleted, and when a consumer last received it (epoch ms; it was being handled). */
export interface LiveMessage {
  message: SqsMessage;
  receivedAt?: number;
}

export interface QueueJournal {
  /** A message `queue` accepted (one live in another queue, a dead-letter move, leaves that one). */
  added(queue: string, message: SqsMessage): void;
  /** A consumer received it (not awaited: a receive lost in a crash only makes a redelivery sooner). */
  received(queue: string, messageId: string): void;
  removed(queue: string, messageId: string): void;
  purged(queue: string): void;
  /** The messages of `queue` not deleted, in the order accepted. */
  live(queue: string): LiveMessage[];
  /** Resolves once everything journalled so far is on disk; rejects if writing failed. */
  durable(): Promise<void>;
  /** Writes what is pending and closes the file. */
  close(): Promise<void>;
}

export interface QueueJournalOptions {
  /** Rewrite the file with the live messages once it is past this size (default 32 MiB). */
  compactBytes?: number;
  /** fdatasync each group of writes (default true; false leaves them to the OS, enough for a process crash). */
  sync?: boolean;
}

export const JOURNAL_FILE = 'journal.jsonl';

export async function openQueueJournal(
  dir: string,
  options: QueueJournalOptions = {},
): Promise<QueueJournal> {
  const compactBytes = options.compactBytes ?? 32 * 1024 * 1024;
  const sync = options.sync ?? true;
  const file = join(dir, JOURNAL_FILE);
  mkdirSync(dir, { recursive: true });

  /** queue → message id → its `add` line; `where`: message id → the queue holding it. */
  const live = new Map<string, Map<string, string>>();
  const where = new Map<string, string>();
  /** Message id → when it was last received, while not deleted (nor moved since). */
  const received = new Map<string, number>();
  let liveBytes = 0;

  const lineOf = (record: JournalRecord): string => `${JSON.stringify(record)}\n`;
  const remove = (queue: string, id: string): boolean => {
    const line = live.get(queue)?.get(id);
    if (line === undefined) return false;
    live.get(queue)?.delete(id);
    if (where.get(id) === queue) where.delete(id);
    received.delete(id);
    liveBytes -= Buffer.byteLength(line);
    return true;
  };
  const apply = (record: JournalRecord, line: string): void => {
    if ('add' in record) {
      const id = record.add.messageId;
      const from = where.get(id);
      if (from !== undefined) remove(from, id);
      let messages = live.get(record.q);
      if (messages === undefined) {
        messages = new Map();
        live.set(record.q, messages);
      }
      messages.set(id, line);
      where.set(id, record.q);
      liveBytes += Buffer.byteLength(line);
    } else if ('rcv' in record) {
      if (live.get(record.q)?.has(record.rcv)) received.set(record.rcv, record.at);
    } else if ('del' in record) {
      remove(record.q, record.del);
    } else {
      for (const id of [...(live.get(record.q)?.keys() ?? [])]) remove(record.q, id);
    }
  };

  // Replay. A crash can tear the last line: what does not parse is skipped.
  if (existsSync(file)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (line === '') continue;
      let record: JournalRecord;
      try {
        record = JSON.parse(line) as JournalRecord;
      } catch {
        continue;
      }
      apply(record, `${line}\n`);
    }
  }

  const snapshot = (): string =>
    [...live.entries()]
      .flatMap(([q, messages]) =>
        [...messages.entries()].map(([id, line]) => {
          const at = received.get(id);
          return at === undefined ? line : line + lineOf({ q, rcv: id, at });
        }),
      )
      .join('');
  const syncDir = (): void => {
    // The rename itself durable (Linux, macOS); Windows cannot open a directory: skipped there.
    if (process.platform === 'win32') return;
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  };
  const rewrite = async (): Promise<number> => {
    const text = snapshot();
    const temp = `${file}.tmp`;
    const out = await open(temp, 'w');
    try {
      await out.writeFile(text);
      await out.datasync();
    } finally {
      await out.close();
    }
    await rename(temp, file);
    syncDir();
    return Buffer.byteLength(text);
  };

  // Compacted at start: only the live messages are carried over.
  let size = await rewrite();
  let handle: FileHandle | undefined = await open(file, 'a');
  let pending: string[] = [];
  let waiters: { resolve: () => void; reject: (error: unknown) => void }[] = [];
  let closed = false;

  let writing: Promise<void> | undefined;
  const writeGroups = async (): Promise<void> => {
    while (pending.length > 0 || waiters.length > 0) {
      const lines = pending;
      const done = waiters;
      pending = [];
      waiters = [];
      try {
        if (lines.length > 0) {
          if (size > compactBytes && liveBytes < compactBytes / 2) {
            // The snapshot already holds these lines' effects (applied when journalled).
            await handle?.close();
            handle = undefined;
            size = await rewrite();
            handle = await open(file, 'a');
          } else {
            // A compaction that failed left no handle: reopen, or refuse (never a silent success).
            handle ??= await open(file, 'a');
            const text = lines.join('');
            await handle.write(text);
            size += Buffer.byteLength(text);
            if (sync) await handle.datasync();
          }
        }
        for (const w of done) w.resolve();
      } catch (error) {
        for (const w of done) w.reject(error);
      }
    }
  };
  const kick = (): void => {
    writing ??= writeGroups().finally(() => {
      writing = undefined;
      if (pending.length > 0 || waiters.length > 0) kick();
    });
  };
  const journal = (record: JournalRecord): void => {
    const line = lineOf(record);
    apply(record, line);
    if (closed) return; // a late call while stopping: the file is shut
    pending.push(line);
    kick();
  };

  const durable = (): Promise<void> => {
    if (closed) return Promise.reject(new Error('the queue journal is closed'));
    return new Promise((resolve, reject) => {
      waiters.push({ resolve, reject });
      kick();
    });
  };

  return {
    added(queue, message) {
      // One line even for a dead-letter move: an `add` takes the message from the queue holding it.
      journal({ q: queue, add: message });
    },
    received(queue, messageId) {
      if (live.get(queue)?.has(messageId)) journal({ q: queue, rcv: messageId, at: Date.now() });
    },
    removed(queue, messageId) {
      if (live.get(queue)?.has(messageId)) journal({ q: queue, del: messageId });
    },
    purged(queue) {
      journal({ q: queue, purge: true });
    },
    live(queue) {
      return [...(live.get(queue)?.entries() ?? [])].map(([id, line]) => {
        const message = (JSON.parse(line) as { add: SqsMessage }).add;
        const receivedAt = received.get(id);
        return receivedAt === undefined ? { message } : { message, receivedAt };
      });
    },
    durable,
    async close() {
      if (closed) return;
      await durable().catch(() => undefined);
      closed = true;
      await writing;
      await handle?.close();
      handle = undefined;
    },
  };
}

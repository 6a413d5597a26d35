/**
 * A local pipe's stream position, kept in DATA_DIR/pipes/<pipe>.json (issue 16), so a restart
 * resumes each shard after the last record the pipe delivered (sent, invoked or dead-lettered)
 * instead of at LATEST, which skipped what a crash left undelivered. DynamoDB Local keeps its
 * stream (shard ids, sequence numbers) in its data file across restarts, kill -9 included
 * (checked by test/integration/local/crash.test.ts). Written atomically (temp file + rename),
 * one write at a time, the latest state winning.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface PipeCheckpoint {
  /** The stream read: a checkpoint of another stream (the table's stream re-created) is ignored. */
  streamArn: string;
  /**
   * When a LATEST pipe first started (epoch ms): a shard it resumes from its start skips records
   * made before then, as LATEST did.
   */
  since?: number;
  /** Shard id → the last record delivered, or done (closed and read to its end). */
  shards: Record<string, { sequence?: string; done?: true }>;
}

/** The checkpoint in `file`, or undefined when there is none (or it does not parse). */
export function readCheckpoint(file: string): PipeCheckpoint | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as Partial<PipeCheckpoint>;
    if (typeof parsed.streamArn !== 'string' || typeof parsed.shards !== 'object' || parsed.shards === null) {
      return undefined;
    }
    return parsed as PipeCheckpoint;
  } catch {
    return undefined;
  }
}

export interface CheckpointWriter {
  /** Writes `checkpoint` soon (after the write under way; only the latest one pending is kept). */
  save(checkpoint: PipeCheckpoint): void;
  /** Resolves when what was saved is written. */
  flush(): Promise<void>;
}

export function checkpointWriter(file: string, onError: (error: unknown) => void): CheckpointWriter {
  mkdirSync(dirname(file), { recursive: true });
  let next: PipeCheckpoint | undefined;
  let writing: Promise<void> | undefined;
  const run = async (): Promise<void> => {
    while (next !== undefined) {
      const checkpoint = next;
      next = undefined;
      const temp = `${file}.tmp`;
      try {
        // On disk before it replaces the last one: a power cut leaves one or the other, whole.
        const out = await open(temp, 'w');
        try {
          await out.writeFile(`${JSON.stringify(checkpoint)}\n`);
          await out.datasync();
        } finally {
          await out.close();
        }
        await rename(temp, file);
      } catch (error) {
        onError(error);
      }
    }
  };
  const start = (): void => {
    writing ??= run().finally(() => {
      writing = undefined;
      if (next !== undefined) start();
    });
  };
  return {
    save(checkpoint) {
      next = checkpoint;
      start();
    },
    async flush() {
      while (writing) await writing;
    },
  };
}

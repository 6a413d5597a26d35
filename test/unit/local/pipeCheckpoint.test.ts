/**
 * A local pipe's saved stream position (infra/local/pipeCheckpoint.ts): written whole (temp file +
 * rename), the latest state winning; an absent or unreadable file is no checkpoint.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkpointWriter, type PipeCheckpoint, readCheckpoint } from '#infra/local/pipeCheckpoint.ts';

const at = (sequence: string): PipeCheckpoint => ({
  streamArn: 'arn:aws:dynamodb:ddblocal:000000000000:table/urna/stream/1',
  since: 1_700_000_000_000,
  shards: { 'shardId-1': { done: true }, 'shardId-2': { sequence } },
});

describe('pipe checkpoints', () => {
  it('writes the latest of many saves, in a folder it makes, with no temporary file left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'urna-checkpoint-'));
    const file = join(dir, 'pipes', 'Outbox.json');
    const errors: unknown[] = [];
    const writer = checkpointWriter(file, (e) => errors.push(e));
    for (let i = 1; i <= 50; i++) writer.save(at(String(i).padStart(21, '0')));
    await writer.flush();
    expect(readCheckpoint(file)).toEqual(at('000000000000000000050'));
    expect(readdirSync(join(dir, 'pipes'))).toEqual(['Outbox.json']);
    expect(errors).toEqual([]);
  });

  it('reads no checkpoint from an absent, torn or foreign file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'urna-checkpoint-'));
    expect(readCheckpoint(join(dir, 'none.json'))).toBeUndefined();
    writeFileSync(join(dir, 'torn.json'), '{"streamArn":"arn:aws:dyn');
    expect(readCheckpoint(join(dir, 'torn.json'))).toBeUndefined();
    writeFileSync(join(dir, 'foreign.json'), '{"hello":"world"}');
    expect(readCheckpoint(join(dir, 'foreign.json'))).toBeUndefined();
  });

  it('reports a write that fails and goes on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'urna-checkpoint-'));
    const file = join(dir, 'pipes', 'x.json');
    const errors: unknown[] = [];
    const writer = checkpointWriter(file, (e) => errors.push(e));
    // A folder where the file should be: the rename fails.
    writeFileSync(join(dir, 'pipes', 'x.json.tmp'), '');
    mkdirSync(file);
    writer.save(at('1'));
    await writer.flush();
    expect(errors).toHaveLength(1);
    expect(existsSync(file)).toBe(true);
  });
});

/**
 * The command-line contract: in process through runCli (the whole CLI minus stdin/stdout), then by
 * spawning the real process exactly as other parts of the product and the checks do.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '#domain/clock/cliCore.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/tsx/dist/cli.mjs', import.meta.url));
const cli = 'shared/domain/clock/cli.ts';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** In process: the same code path as the CLI, without the process. */
async function run(args: string[], input: string): Promise<Run> {
  return runCli(args, input);
}

/** A real process: `node tsx cli.ts …`, or `npm run -s clock -- …`. */
function spawnCli(args: string[], input: string, viaNpm = false): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = viaNpm
      ? spawn('npm', ['run', '-s', 'clock', '--', ...args], { cwd: root })
      : spawn(process.execPath, [tsx, cli, ...args], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

const vectors = readFileSync(new URL('./fixtures/public-vectors.json', import.meta.url), 'utf8');
const worked = readFileSync(new URL('./fixtures/worked-examples.json', import.meta.url), 'utf8');

describe('clock CLI', () => {
  it('due: {cases} → {results} with the names and the dates of every vector', async () => {
    // Act
    const [pub, own] = await Promise.all([run(['due'], vectors), run(['due'], worked)]);
    // Assess
    for (const [out, file] of [
      [pub, vectors],
      [own, worked],
    ] as const) {
      expect(out.code).toBe(0);
      expect(out.stderr).toBe('');
      const { results } = JSON.parse(out.stdout) as { results: Record<string, unknown>[] };
      const { cases } = JSON.parse(file) as { cases: { name: string; expect: Record<string, unknown> }[] };
      expect(results.map((r) => r.name)).toEqual(cases.map((c) => c.name));
      cases.forEach((c, i) => {
        for (const [k, v] of Object.entries(c.expect)) expect(results[i]?.[k], `${c.name}: ${k}`).toEqual(v);
      });
    }
  });

  it('due: one case → one result with the contract fields', async () => {
    const out = await run(
      ['due'],
      JSON.stringify({ termClass: 'information', filed: '2026-03-30T09:00:00-05:00' }),
    );
    expect(out.code).toBe(0);
    const r = JSON.parse(out.stdout) as Record<string, unknown>;
    expect(r).toMatchObject({
      ruleSet: 'co-ley1755-2015',
      receivedOn: '2026-03-30',
      due: '2026-04-15',
      maxExtendedDue: '2026-04-29',
      forwardBy: '2026-04-08',
      completionRequestBy: '2026-04-15',
      copiesDue: '2026-04-20',
    });
    expect(Array.isArray(r.trace)).toBe(true);
    const general = await run(
      ['due'],
      JSON.stringify({ termClass: 'general', filed: '2026-03-30T09:00:00-05:00' }),
    );
    expect(JSON.parse(general.stdout)).not.toHaveProperty('copiesDue');
    expect(JSON.parse(general.stdout)).not.toHaveProperty('legendBy');
    // Ley 1581 art. 15 num. 2: a personal-data claim gains legendBy and keeps every other field.
    const claim = await run(
      ['due'],
      JSON.stringify({ termClass: 'data_protection_claim', filed: '2026-11-10T08:30:00-05:00' }),
    );
    const c = JSON.parse(claim.stdout) as Record<string, unknown>;
    expect(c).toMatchObject({ due: '2026-12-02', maxExtendedDue: '2026-12-15', legendBy: '2026-11-12' });
    expect(Object.keys(c).filter((k) => !(k in r) && k !== 'legendBy')).toEqual([]);
  });

  it('explain: the trace as readable text', async () => {
    const one = await run(
      ['explain'],
      JSON.stringify({ termClass: 'general', filed: '2025-12-19T10:00:00-05:00' }),
    );
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/2026-01-14 miércoles\s+día 15/);
    expect(one.stdout).toMatch(/2025-12-25 jueves .*Navidad/);
    const many = await run(['explain'], vectors);
    expect(many.stdout).toContain('=== personal-data claim with extension ===');
  });

  it('status: the semáforo at an instant', async () => {
    const out = await run(
      ['status'],
      JSON.stringify({
        termClass: 'general',
        filed: '2025-12-19T10:00:00-05:00',
        at: '2026-01-08T12:00:00-05:00',
      }),
    );
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({
      businessDaysUsed: 12,
      businessDaysLeft: 3,
      semaforo: 'red',
    });
  });

  it('bad input: one line on stderr naming the field, exit code 2, nothing on stdout', async () => {
    // Prepare
    const cases: [string[], string, RegExp][] = [
      [['due'], '{"termClass": "general", "filed": ', /input: malformed JSON/],
      [['due'], JSON.stringify({ termClass: 'petition', filed: '2026-03-02T09:00:00-05:00' }), /termClass/],
      [['due'], JSON.stringify({ termClass: 'general', filed: '2026-02-30T09:00:00-05:00' }), /filed/],
      [
        ['due'],
        JSON.stringify({ termClass: 'general', filed: '2101-01-03T09:00:00-05:00' }),
        /filed: .*outside/,
      ],
      [
        ['explain'],
        JSON.stringify({
          cases: [
            { termClass: 'general', filed: '2026-03-02' },
            { termClass: 'general', filed: 'x' },
          ],
        }),
        /cases\[1\]\.filed/,
      ],
      [
        ['due'],
        JSON.stringify({
          termClass: 'general',
          filed: '2026-03-02',
          events: [{ type: 'answered', at: '2026-03-03' }],
        }),
        /events\[0\]\.type/,
      ],
      [
        ['due'],
        JSON.stringify({ termClass: 'general', filed: '2026-03-02', entity: { terms: { general: 16 } } }),
        /entity\.terms\.general/,
      ],
      [['status'], JSON.stringify({ termClass: 'general', filed: '2026-03-02' }), /\bat\b/],
      [['soon'], '{}', /usage/],
    ];
    // Act
    const outs = await Promise.all(cases.map(([args, input]) => run(args, input)));
    // Assess
    outs.forEach((out, i) => {
      const [, , pattern] = cases[i]!;
      expect(out.code, String(pattern)).toBe(2);
      expect(out.stdout).toBe('');
      expect(out.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(out.stderr).toMatch(pattern);
    });
  });
});

describe('clock CLI as a process', () => {
  it('writes exactly what runCli computes, exits 2 with one stderr line on bad input, and runs via npm', async () => {
    // Act
    const bad = JSON.stringify({ termClass: 'general', filed: '2026-02-30T09:00:00-05:00' });
    const [direct, failed, npm] = await Promise.all([
      spawnCli(['due'], vectors),
      spawnCli(['due'], bad),
      spawnCli(['due'], vectors, true),
    ]);
    // Assess
    expect(direct).toEqual({ code: 0, stdout: runCli(['due'], vectors).stdout, stderr: '' });
    expect(failed.code).toBe(2);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toMatch(/^clock: invalid filed: [^\n]+\n$/);
    expect(npm.code).toBe(0);
    expect(npm.stdout).toBe(direct.stdout);
  });
});

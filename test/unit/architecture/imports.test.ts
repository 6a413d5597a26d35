/**
 * The import direction of DESIGN.md, kept true: functions → app → domain/ports; adapters implement
 * ports; the domain imports nothing of ours but the domain, no AWS, no I/O, no wall clock.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const ALIASES: Record<string, string> = {
  '#domain/': 'shared/domain/',
  '#app/': 'shared/app/',
  '#ports/': 'shared/ports/',
  '#adapters/': 'shared/adapters/',
  '#http/': 'shared/http/',
  '#shared/': 'shared/',
  '#functions/': 'functions/',
  '#infra/': 'infra/',
  '#test/': 'test/',
};

function files(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(root, path)).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [
    ...text.matchAll(
      /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g,
    ),
  ].map((m) => (m[1] ?? m[2])!);
}

/** The project path an import points at, or the package name for a dependency. */
function target(file: string, spec: string): string {
  for (const [alias, path] of Object.entries(ALIASES))
    if (spec.startsWith(alias)) return path + spec.slice(alias.length);
  if (spec.startsWith('.')) return relative(root, resolve(root, dirname(file), spec));
  return `pkg:${spec}`;
}

function layer(path: string): string {
  if (path.startsWith('pkg:')) return path;
  const m = /^(shared\/(domain|app|ports|adapters|http)|shared\/config\.ts|functions|infra|test|events)/.exec(
    path,
  );
  return m ? m[0] : path;
}

const RULES: Record<string, (to: string) => boolean> = {
  'shared/domain': (to) => to === 'shared/domain' || ['pkg:zod', 'pkg:node:crypto'].includes(to),
  'shared/ports': (to) => ['shared/domain', 'shared/ports'].includes(to),
  'shared/app': (to) =>
    ['shared/domain', 'shared/ports', 'shared/app', 'pkg:node:crypto', 'pkg:zod'].includes(to),
  'shared/adapters': (to) =>
    ['shared/domain', 'shared/ports', 'shared/adapters', 'shared/config.ts'].includes(to) ||
    (to.startsWith('pkg:') && !to.startsWith('pkg:@middy') && !to.startsWith('pkg:aws-cdk')),
  'shared/http': (to) =>
    [
      'shared/domain',
      'shared/ports',
      'shared/app',
      'shared/http',
      'shared/config.ts',
      'infra/catalog.ts',
    ].includes(to) ||
    (to.startsWith('pkg:') && !to.startsWith('pkg:aws-cdk')),
  functions: (to) => !to.startsWith('infra') && !to.startsWith('test') && !to.startsWith('pkg:aws-cdk'),
};

describe('import direction', () => {
  const sources = [...files('shared'), ...files('functions')];

  it.each(Object.keys(RULES))('%s imports only what it may', (from) => {
    const offences = sources
      .filter((f) => layer(f) === from || (from === 'functions' && f.startsWith('functions/')))
      .flatMap((f) =>
        imports(f)
          .map((spec) => ({
            spec,
            to: layer(target(f, spec)) === 'infra' ? target(f, spec) : layer(target(f, spec)),
          }))
          .filter(({ to }) => !RULES[from]!(to))
          .map(({ spec }) => `${f} → ${spec}`),
      );
    expect(offences).toEqual([]);
  });

  it('the domain never reads the wall clock', () => {
    const offences = files('shared/domain').filter((f) =>
      /Date\.now\(\)|new Date\(\)/.test(readFileSync(join(root, f), 'utf8')),
    );
    expect(offences).toEqual([]);
  });
});

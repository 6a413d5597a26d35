/**
 * The import direction of DESIGN.md, kept true: functions → app → domain/ports; adapters implement
 * ports; the domain imports nothing of ours but the domain, no AWS, no I/O, no wall clock; infra
 * imports shared, never the reverse; and no module imports itself through others (no cycles).
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
  const m =
    /^(shared\/(domain|app|ports|adapters|http|queue)|shared\/config\.ts|functions|infra|test|events)/.exec(
      path,
    );
  return m ? m[0] : path;
}

/** Per layer, whether it may import `to` (a layer, or a package), `path` being the file imported. */
const RULES: Record<string, (to: string, path: string) => boolean> = {
  'shared/domain': (to) => to === 'shared/domain' || ['pkg:zod', 'pkg:node:crypto'].includes(to),
  'shared/ports': (to) => ['shared/domain', 'shared/ports'].includes(to),
  'shared/app': (to) =>
    ['shared/domain', 'shared/ports', 'shared/app', 'pkg:node:crypto', 'pkg:zod'].includes(to),
  'shared/adapters': (to) =>
    ['shared/domain', 'shared/ports', 'shared/adapters', 'shared/config.ts'].includes(to) ||
    (to.startsWith('pkg:') && !to.startsWith('pkg:@middy') && !to.startsWith('pkg:aws-cdk')),
  'shared/http': (to) =>
    ['shared/domain', 'shared/ports', 'shared/app', 'shared/http', 'shared/config.ts'].includes(to) ||
    (to.startsWith('pkg:') && !to.startsWith('pkg:aws-cdk')),
  'shared/queue': (to, path) =>
    ['shared/domain', 'shared/ports', 'shared/queue', 'shared/config.ts'].includes(to) ||
    path === 'shared/http/observability.ts' ||
    (to.startsWith('pkg:') && !to.startsWith('pkg:aws-cdk')),
  functions: (to) => !to.startsWith('infra') && !to.startsWith('test') && !to.startsWith('pkg:aws-cdk'),
};

describe('import direction', () => {
  const sources = [...files('shared'), ...files('functions')];

  it('shared and functions never import infra (infra imports shared)', () => {
    const offences = sources.flatMap((f) =>
      imports(f)
        .filter((spec) => target(f, spec).startsWith('infra/'))
        .map((spec) => `${f} → ${spec}`),
    );
    expect(offences).toEqual([]);
  });

  it('has no import cycle in shared, functions or infra', () => {
    const project = [...sources, ...files('infra')];
    const known = new Set(project);
    const edges = new Map(
      project.map((f) => [
        f,
        imports(f)
          .map((spec) => target(f, spec))
          .filter((t) => known.has(t)),
      ]),
    );
    expect(cycles(edges)).toEqual([]);
  });

  it.each(Object.keys(RULES))('%s imports only what it may', (from) => {
    const offences = sources
      .filter((f) => layer(f) === from || (from === 'functions' && f.startsWith('functions/')))
      .flatMap((f) =>
        imports(f)
          .map((spec) => ({
            spec,
            path: target(f, spec),
            to: layer(target(f, spec)) === 'infra' ? target(f, spec) : layer(target(f, spec)),
          }))
          .filter(({ to, path }) => !RULES[from]!(to, path))
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

/** The strongly connected components of more than one module, or a module importing itself (Tarjan). */
function cycles(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (edges.get(v) ?? []).includes(v)) found.push(component.sort());
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('the cycle finder', () => {
  it('finds a cycle through three modules and a self-import, and nothing in a tree', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a', 'd']],
      ['d', []],
      ['e', ['e']],
    ]);
    expect(cycles(graph)).toEqual([['a', 'b', 'c'], ['e']]);
    expect(
      cycles(
        new Map([
          ['x', ['y']],
          ['y', []],
        ]),
      ),
    ).toEqual([]);
  });
});

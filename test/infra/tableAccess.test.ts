/**
 * Least privilege on the table, proven from one declaration (issue 16): each function's DynamoDB
 * grants are exactly what its catalog `table` says (TABLE_FAMILIES), derived here independently of
 * the stack's own code, and no public function can reach a case, a petitioner or an audit trail.
 * The local runner's guard enforces the same declaration in every integration test (docs/adr/0018).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  FUNCTIONS,
  type FunctionSpec,
  TABLE,
  TABLE_FAMILIES,
  type TableFamily,
} from '../../infra/catalog.ts';
import { TABLE_ACCESS_ENV } from '../../shared/adapters/dynamodb/tableAccess.ts';
import {
  actionsOf,
  logicalId,
  type PolicyStatementJson,
  type Synthesized,
  statementsOfRole,
  synth,
} from './support.ts';

let dev: Synthesized;
beforeAll(() => {
  dev = synth('dev');
});

function fnOf(name: string) {
  const fn = dev.stack.functions.get(name);
  if (fn === undefined) throw new Error(`no function ${name}`);
  return fn;
}
const roleOf = (name: string) => logicalId(dev.stack, fnOf(name).role);

/** Where a statement's resource points: `table` or `index/<name>`. */
function place(resource: unknown): string {
  const json = JSON.stringify(resource);
  const index = /\/index\/([A-Za-z0-9_-]+)/.exec(json);
  if (index) return `index/${index[1]}`;
  return json.includes(logicalId(dev.stack, dev.stack.table)) ? 'table' : `other:${json}`;
}

/** Each DynamoDB grant as "action place" → the leading keys it is limited to (`*`: unlimited). */
function grantsIn(statements: PolicyStatementJson[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const st of statements.filter((s) => s.Effect === 'Allow')) {
    const condition = st.Condition as Record<string, Record<string, string | string[]>> | undefined;
    const leading = condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'];
    const keys = leading === undefined ? ['*'] : Array.isArray(leading) ? leading : [leading];
    const resources = Array.isArray(st.Resource) ? st.Resource : [st.Resource];
    for (const action of actionsOf(st).filter((a) => a.startsWith('dynamodb:'))) {
      for (const resource of resources) {
        const key = `${action} ${place(resource)}`;
        out.set(key, [...(out.get(key) ?? []), ...keys].sort());
      }
    }
  }
  return out;
}

/** What the declaration allows, derived from TABLE_FAMILIES alone. */
function declared(spec: FunctionSpec): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (action: string, where: string, pattern: string) => {
    const key = `dynamodb:${action} ${where}`;
    out.set(key, [...(out.get(key) ?? []), pattern].sort());
  };
  const family = (f: TableFamily) => TABLE_FAMILIES[f] as { pattern: string; index?: string };
  for (const f of spec.table?.reads ?? []) {
    const { pattern, index } = family(f);
    if (index !== undefined) add('Query', `index/${index}`, pattern);
    else
      for (const action of ['GetItem', 'BatchGetItem', 'ConditionCheckItem', 'Query'])
        add(action, 'table', pattern);
  }
  for (const f of spec.table?.writes ?? []) {
    const { pattern, index } = family(f);
    expect(index, `${spec.name} writes ${f}, an index family`).toBeUndefined();
    add('PutItem', 'table', pattern);
    if (f === 'audit') continue; // appended, never updated
    add('UpdateItem', 'table', pattern);
    if (spec.batchWrites === true) add('BatchWriteItem', 'table', pattern);
  }
  return out;
}

describe('table access by key family', () => {
  it.each(FUNCTIONS.map((f) => [f.name, f] as const))(
    '%s is granted exactly its declaration',
    (name, spec) => {
      const granted = grantsIn(statementsOfRole(dev.resources, roleOf(name)));
      expect(Object.fromEntries(granted)).toEqual(Object.fromEntries(declared(spec)));
      const env = (
        dev.resources[logicalId(dev.stack, fnOf(name).function)]?.Properties as {
          Environment?: { Variables?: Record<string, unknown> };
        }
      )?.Environment?.Variables;
      if (spec.table === undefined) {
        expect(env?.TABLE_NAME).toBeUndefined();
        expect(env?.[TABLE_ACCESS_ENV]).toBeUndefined();
      } else {
        expect(env?.[TABLE_ACCESS_ENV]).toBeTypeOf('string');
      }
    },
  );

  it('lets no role update or delete an audit event, nor delete or scan anything', () => {
    for (const spec of FUNCTIONS) {
      const granted = grantsIn(statementsOfRole(dev.resources, roleOf(spec.name)));
      for (const [key, keys] of granted) {
        expect(key, spec.name).not.toMatch(/DeleteItem|Scan|PartiQL/);
        if (/UpdateItem|BatchWriteItem/.test(key))
          expect(keys, `${spec.name} ${key}`).not.toContain('AUDIT#*');
        expect(keys, `${spec.name} ${key}`).not.toContain('*');
      }
    }
  });

  it('keeps public functions off cases, petitioners and audit trails', () => {
    const PUBLIC = [
      'PublicEntities',
      'PublicNotices',
      'PqrsdReports',
      'PublicProposals',
      'PublicConsultations',
      'Receipts',
      'OpenApi',
    ];
    const PRIVATE = [
      'CASE#*',
      'AUDIT#*',
      'CITIZEN#*',
      'INBOX#*',
      'WATCH#*',
      'OUTBOX#*',
      'IDEMPOTENCY#*',
      'UPLOAD#*',
    ];
    for (const name of PUBLIC) {
      const spec = FUNCTIONS.find((f) => f.name === name);
      expect(spec, name).toBeDefined();
      const keys = [...grantsIn(statementsOfRole(dev.resources, roleOf(name))).values()].flat();
      for (const p of PRIVATE) expect(keys, `${name} ${p}`).not.toContain(p);
    }
    expect(FUNCTIONS.find((f) => f.name === 'OpenApi')?.table).toBeUndefined();
  });

  it('names only families the table has, each pattern of one index or of the table', () => {
    const indexes = new Set<string | undefined>([undefined, ...TABLE.indexes.map((i) => i.name)]);
    for (const f of Object.values(TABLE_FAMILIES) as { pattern: string; index?: string }[]) {
      expect(indexes.has(f.index), f.pattern).toBe(true);
      expect(f.pattern).toMatch(/^[A-Z_#]+\*?$/);
    }
  });
});

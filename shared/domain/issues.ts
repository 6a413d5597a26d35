/** What is wrong with an input, field by field: what a refusal names (HTTP problems, intake rejections). */
import type * as z from 'zod';

export interface FieldIssue {
  /** Where: a dotted path (`petitioner.email`), prefixed `query.`, `path.` or `header.` outside the body. */
  field: string;
  message: string;
}

/** A zod error as field issues (an unknown key names the key itself). */
export function issuesOf(error: z.ZodError, prefix: readonly string[] = []): FieldIssue[] {
  return error.issues.map((i) => {
    const path = [...prefix, ...i.path.map(String)];
    if (i.code === 'unrecognized_keys') {
      return {
        field: [...path, i.keys[0] ?? ''].join('.'),
        message: `unknown field(s): ${i.keys.join(', ')}`,
      };
    }
    return { field: path.join('.') || prefix.join('.') || 'body', message: i.message };
  });
}

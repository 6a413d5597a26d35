/**
 * The articles the rule sets and the case lifecycle rely on, per law: a message citing anything
 * else cites wrongly (issue 14: "Ley 1581 art. 19" on a clarification had nothing to do with it).
 */
import { expect } from 'vitest';

export const CITABLE: Readonly<Record<string, readonly string[]>> = {
  'Ley 1755 de 2015': ['13', '14', '17', '18', '19', '20', '21', '22', '24', '25', '26'],
  'Ley 1581 de 2012': ['14', '15'],
  'Ley 1712 de 2014': ['18', '19', '21', '26', '27', '28'],
  'Ley 1437 de 2011': ['5', '69'],
  'Decreto 491 de 2020': ['5'],
  'Ley 4 de 1913': ['59', '62'],
};

/** "Ley 1755 de 2015, art. 19", "Ley 1755 de 2015, arts. 17 y 19" → [law, article] pairs. */
export function citationsIn(text: string): [string, string][] {
  const out: [string, string][] = [];
  for (const m of text.matchAll(
    /(Ley \d+ de \d{4}|Decreto \d+ de \d{4}),? arts?\. (\d+)((?:(?:,| y) \d+)*)/g,
  )) {
    const law = m[1]!;
    for (const article of [
      m[2]!,
      ...(m[3] ?? '')
        .split(/,| y /)
        .map((a) => a.trim())
        .filter(Boolean),
    ]) {
      out.push([law, article]);
    }
  }
  return out;
}

/** Fails on a citation outside CITABLE; returns the citations found. */
export function expectCitable(text: string): string[] {
  return citationsIn(text).map(([law, article]) => {
    expect(CITABLE[law], `"${text}" cites ${law}`).toBeDefined();
    expect(CITABLE[law], `"${text}" cites ${law}, art. ${article}`).toContain(article);
    return `${law}, art. ${article}`;
  });
}

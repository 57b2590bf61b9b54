import { raw, sql, type Fragment } from './sql-fragment.js';

/**
 * Whitespace removed by `trim(x, ?)` in SQL and by `trimText` in JS, so both agree on a text's
 * trimmed length (SQL's plain `trim(x)` removes spaces only). With the mirror, as the mark
 * vocabulary: its projections measure homework texts as the rules do.
 */
export const WHITESPACE =
  ' \t\n\r\v\f\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';

export function trimText(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && WHITESPACE.includes(text[start]!)) start++;
  while (end > start && WHITESPACE.includes(text[end - 1]!)) end--;
  return text.slice(start, end);
}

/** `trim(expr, WHITESPACE)`: same syntax on SQLite and PostgreSQL. */
export function trimmed(expr: string): Fragment {
  return sql`trim(${raw(expr)}, ${WHITESPACE})`;
}

/**
 * Long lists shown a page at a time: a large school's class can hold hundreds of open findings
 * and the whole school thousands; a phone between lessons, or a school's old computer, should not
 * lay out a 200 KB table to show the first screen of it. `?page=N` picks the page; the links keep
 * the rest of the query.
 */

export interface Pager {
  /** 1-based, of `total`. */
  from: number;
  to: number;
  total: number;
  prev: string | null;
  next: string | null;
}

/** The rows of page `?page=` (clamped to the pages there are) and the pager for the template. */
export function paginate<T>(
  rows: readonly T[],
  query: Record<string, string | undefined>,
  basePath: string,
  size: number,
): { rows: T[]; pager: Pager | null } {
  const pages = Math.max(1, Math.ceil(rows.length / size));
  const asked = Number.parseInt(query.page ?? '1', 10);
  const page = Number.isFinite(asked) ? Math.min(Math.max(asked, 1), pages) : 1;
  const start = (page - 1) * size;
  const shown = rows.slice(start, start + size);
  if (pages === 1) return { rows: shown, pager: null };
  const href = (p: number): string => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v && k !== 'page') q.set(k, v);
    if (p > 1) q.set('page', String(p));
    const s = q.toString();
    return s ? `${basePath}?${s}` : basePath;
  };
  return {
    rows: shown,
    pager: {
      from: start + 1,
      to: start + shown.length,
      total: rows.length,
      prev: page > 1 ? href(page - 1) : null,
      next: page < pages ? href(page + 1) : null,
    },
  };
}

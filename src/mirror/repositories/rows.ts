import type { Row } from '../sql.js';

/**
 * Rows of the bookkeeping tables are parsed here, at the edge, instead of asserted with
 * `query<T>()`: the engines disagree on types (PostgreSQL returns `numeric` sums and some counts
 * as strings, SQLite returns integers as numbers) and a column renamed or filled by another tool
 * must fail with the table and column named, not as `NaN` or `undefined` three calls later.
 */

export class RowShapeError extends Error {
  constructor(
    readonly table: string,
    readonly column: string,
    expected: string,
    got: unknown,
  ) {
    super(`${table}: column "${column}" should be ${expected}, but the row holds ${show(got)}`);
    this.name = 'RowShapeError';
  }
}

function show(v: unknown): string {
  if (v === undefined) return 'no such column';
  if (v === null) return 'NULL';
  const text = typeof v === 'string' ? JSON.stringify(v) : String(v);
  return `${text.length > 60 ? `${text.slice(0, 57)}...` : text} (${typeof v})`;
}

/** Typed reads of one row's columns; every failure names the table and the column. */
export class RowReader {
  constructor(
    private readonly table: string,
    private readonly row: Row,
  ) {}

  private fail(column: string, expected: string): never {
    throw new RowShapeError(this.table, column, expected, this.row[column]);
  }

  /** A text column (NOT NULL). */
  text(column: string): string {
    const v = this.row[column];
    if (typeof v !== 'string') this.fail(column, 'text');
    return v;
  }

  textOrNull(column: string): string | null {
    const v = this.row[column];
    return v === null ? null : this.text(column);
  }

  /**
   * An integer column (NOT NULL): epoch milliseconds, counts, sums. PostgreSQL hands `bigint`
   * and `numeric` over as numbers or decimal strings depending on the type parser; both read.
   */
  int(column: string): number {
    const v = this.row[column];
    const n = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : integerText(v);
    if (n === null || !Number.isSafeInteger(n)) this.fail(column, 'an integer');
    return n;
  }

  intOrNull(column: string): number | null {
    const v = this.row[column];
    return v === null ? null : this.int(column);
  }

  /** An aggregate (`sum`, `max`) that is NULL over no rows: read as 0. */
  intOrZero(column: string): number {
    return this.intOrNull(column) ?? 0;
  }

  /** A text column holding one of a closed set of values (a status, a kind). */
  oneOf<const T extends string>(column: string, values: readonly T[]): T {
    const v = this.row[column];
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
      this.fail(column, `one of ${values.join(', ')}`);
    }
    return v as T;
  }

  /** A text column holding JSON; `check` narrows the parsed value or returns false. */
  json<T>(column: string, what: string, check: (v: unknown) => v is T): T {
    const text = this.text(column);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.fail(column, `JSON (${what})`);
    }
    if (!check(value)) this.fail(column, what);
    return value;
  }
}

function integerText(v: unknown): number | null {
  return typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : null;
}

/** Parses every row of `table` with `parse`; the first bad row throws a `RowShapeError`. */
export function parseRows<T>(table: string, rows: readonly Row[], parse: (r: RowReader) => T): T[] {
  return rows.map((row) => parse(new RowReader(table, row)));
}

/** The first row parsed, or null when there is none. */
export function parseFirst<T>(
  table: string,
  rows: readonly Row[],
  parse: (r: RowReader) => T,
): T | null {
  return rows[0] === undefined ? null : parse(new RowReader(table, rows[0]));
}

export const isStringArray = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((x) => typeof x === 'string');

/**
 * A tiny SQL builder: a tagged template keeps every `?` next to the value it binds, so rule
 * queries (many parameters, nested fragments) cannot drift out of order. The text is plain SQL
 * that runs unchanged on SQLite and PostgreSQL.
 */
export interface Fragment {
  readonly text: string;
  readonly params: readonly unknown[];
}

const FRAGMENT = Symbol('sql-fragment');

interface TaggedFragment extends Fragment {
  readonly [FRAGMENT]: true;
}

function make(text: string, params: readonly unknown[]): TaggedFragment {
  return { text, params, [FRAGMENT]: true };
}

function isFragment(v: unknown): v is TaggedFragment {
  return typeof v === 'object' && v !== null && FRAGMENT in v;
}

/** Values become `?` parameters (numbers typed); nested fragments are inlined with their parameters. */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): TaggedFragment {
  let text = strings[0] ?? '';
  const params: unknown[] = [];
  values.forEach((v, i) => {
    if (isFragment(v)) {
      text += v.text;
      params.push(...v.params);
    } else if (typeof v === 'number') {
      // PostgreSQL types a bare parameter from its context, and a CASE of parameters as text:
      // numbers carry their type explicitly (a no-op for SQLite).
      text += Number.isInteger(v) ? 'CAST(? AS bigint)' : 'CAST(? AS double precision)';
      params.push(v);
    } else {
      text += '?';
      params.push(v);
    }
    text += strings[i + 1] ?? '';
  });
  return make(text, params);
}

/** Trusted SQL text (identifiers, aliases, keywords): never user input. */
export function raw(text: string): TaggedFragment {
  return make(text, []);
}

export function joinSql(parts: readonly Fragment[], separator: string): TaggedFragment {
  return make(
    parts.map((p) => p.text).join(separator),
    parts.flatMap((p) => p.params),
  );
}

/** `(?, ?, ?)` for an IN list; an empty list yields `(NULL)`, which matches nothing. */
export function inList(values: readonly unknown[]): TaggedFragment {
  if (values.length === 0) return raw('(NULL)');
  return make(`(${values.map(() => '?').join(', ')})`, values);
}

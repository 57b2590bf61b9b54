import type { z } from 'zod';

/**
 * Reading the config schema itself: the keys an object accepts (for "did you mean"), the key an
 * environment variable's segment names, and whether a value from the environment should become
 * a number or a boolean. Only what zod's schema definitions already say; no second list of keys.
 */

type Schema = z.core.$ZodType;

interface Def {
  type: string;
  innerType?: Schema;
  in?: Schema;
  shape?: Record<string, Schema>;
  catchall?: Schema;
  element?: Schema;
  keyType?: Schema;
  valueType?: Schema;
  options?: readonly Schema[];
  entries?: Record<string, unknown>;
  values?: readonly unknown[];
}

function defOf(schema: Schema): Def {
  return schema._zod.def as unknown as Def;
}

const WRAPPERS = new Set(['default', 'prefault', 'optional', 'nullable', 'readonly', 'catch']);

/** The schema under defaults, optionals and pipes (a transform's input side). */
export function unwrap(schema: Schema): Schema {
  let s = schema;
  for (;;) {
    const def = defOf(s);
    if (WRAPPERS.has(def.type) && def.innerType) s = def.innerType;
    else if (def.type === 'pipe' && def.in) s = def.in;
    else return s;
  }
}

/**
 * The schema of `segment` inside `schema` (object key, array index, record key), if any. In a
 * union (the `platform` section, one member per connector) the first member that has the key.
 */
export function childSchema(schema: Schema, segment: string | number): Schema | undefined {
  const def = defOf(unwrap(schema));
  if (def.type === 'object') return def.shape?.[String(segment)];
  if (def.type === 'array') return def.element;
  if (def.type === 'record') return def.valueType;
  if (def.type === 'union') {
    for (const option of def.options ?? []) {
      const child = childSchema(option, segment);
      if (child) return child;
    }
  }
  return undefined;
}

export function schemaAt(root: Schema, path: readonly PropertyKey[]): Schema | undefined {
  let s: Schema | undefined = root;
  for (const segment of path) {
    if (!s || typeof segment === 'symbol') return undefined;
    s = childSchema(s, segment);
  }
  return s;
}

/** The keys an object schema at `path` accepts (any member's, in a union); empty when none. */
export function knownKeys(root: Schema, path: readonly PropertyKey[]): string[] {
  const s = schemaAt(root, path);
  return s ? [...new Set(keysOf(s))] : [];
}

function keysOf(schema: Schema): string[] {
  const def = defOf(unwrap(schema));
  if (def.type === 'object') return Object.keys(def.shape ?? {});
  if (def.type === 'union') return (def.options ?? []).flatMap(keysOf);
  return [];
}

/** Whether every object inside `schema` refuses unknown keys; returns the paths that do not. */
export function lenientObjects(schema: Schema, path: string[] = []): string[] {
  const s = unwrap(schema);
  const def = defOf(s);
  const here = path.join('.') || '(root)';
  switch (def.type) {
    case 'object': {
      const strict = def.catchall !== undefined && defOf(def.catchall).type === 'never';
      const inner = Object.entries(def.shape ?? {}).flatMap(([k, v]) =>
        lenientObjects(v, [...path, k]),
      );
      return strict ? inner : [here, ...inner];
    }
    case 'array':
      return def.element ? lenientObjects(def.element, [...path, '*']) : [];
    case 'record':
      return def.valueType ? lenientObjects(def.valueType, [...path, '*']) : [];
    case 'union':
      return (def.options ?? []).flatMap((o) => lenientObjects(o, path));
    default:
      return [];
  }
}

export type ScalarKind = 'string' | 'number' | 'boolean' | 'null';

/** What kinds of scalar the schema takes (for turning an environment string into a value). */
export function scalarKinds(schema: Schema): Set<ScalarKind> {
  const kinds = new Set<ScalarKind>();
  const visit = (s: Schema): void => {
    const def = defOf(s);
    if (def.type === 'nullable') kinds.add('null');
    if (WRAPPERS.has(def.type) && def.innerType) return visit(def.innerType);
    if (def.type === 'pipe' && def.in) return visit(def.in);
    if (def.type === 'union') return (def.options ?? []).forEach(visit);
    if (def.type === 'number' || def.type === 'int' || def.type === 'bigint') kinds.add('number');
    else if (def.type === 'boolean') kinds.add('boolean');
    else if (def.type === 'null') kinds.add('null');
    else if (def.type === 'string' || def.type === 'enum') kinds.add('string');
    else if (def.type === 'literal') {
      for (const v of def.values ?? []) {
        const t = v === null ? 'null' : typeof v;
        if (t === 'string' || t === 'number' || t === 'boolean' || t === 'null') kinds.add(t);
      }
    }
  };
  visit(schema);
  return kinds;
}

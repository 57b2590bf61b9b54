import { hash } from 'node:crypto';

/**
 * Canonical JSON (keys sorted at every level) and its SHA-1. The same record always yields the
 * same text whatever order a mapper built its keys in, so "unchanged" is a string comparison,
 * an ezh upgrade that reorders fields writes no spurious versions, and history payloads are
 * byte-stable.
 */

// Normalized records are flat (values are scalars or arrays of scalars) and come in a handful of
// shapes, so the sorted key list is computed once per shape and native JSON.stringify does the
// rest: about three times faster than a recursive serialiser on the sync's hot path.
const sortedKeysByShape = new Map<string, string[]>();

function isFlat(obj: Record<string, unknown>): boolean {
  for (const k in obj) {
    const v = obj[k];
    if (v !== null && typeof v === 'object') {
      if (!Array.isArray(v)) return false;
      for (const item of v) if (item !== null && typeof item === 'object') return false;
    }
  }
  return true;
}

export function canonicalJson(value: unknown): string {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    if (isFlat(obj)) {
      const keys = Object.keys(obj);
      const shape = keys.join('\u0000');
      let sorted = sortedKeysByShape.get(shape);
      if (!sorted) {
        sorted = [...keys].sort();
        if (sortedKeysByShape.size < 1000) sortedKeysByShape.set(shape, sorted);
      }
      return JSON.stringify(obj, sorted);
    }
  }
  return slowCanonicalJson(value);
}

function slowCanonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(slowCanonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const k of Object.keys(obj).sort()) {
    if (obj[k] === undefined) continue;
    parts.push(`${JSON.stringify(k)}:${slowCanonicalJson(obj[k])}`);
  }
  return `{${parts.join(',')}}`;
}

export function sha1(text: string): string {
  return hash('sha1', text);
}

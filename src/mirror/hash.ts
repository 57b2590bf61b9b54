import { createHash } from 'node:crypto';

/**
 * Canonical JSON (keys sorted at every level) and its SHA-1. The same record always yields the
 * same text, so "unchanged" is a string comparison and history payloads are byte-stable.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    const v = obj[k];
    if (v === undefined) continue;
    if (out.length > 1) out += ',';
    out += `${JSON.stringify(k)}:${canonicalJson(v)}`;
  }
  return `${out}}`;
}

export function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

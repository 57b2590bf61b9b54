import { createHash } from 'node:crypto';
import type { FindingKey } from './model.js';

/** Helpers shared by the sandbox's tests. */

export const findingSig = (f: FindingKey): string =>
  [f.rule, f.class, f.subject, f.student, f.lesson, f.work, f.mark, f.period].join('|');

export function countByRule(findings: readonly FindingKey[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of findings) out[f.rule] = (out[f.rule] ?? 0) + 1;
  return out;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A GET against the sandbox returning status, content type and raw text. */
export async function getRaw(
  base: string,
  path: string,
  token?: string,
): Promise<{ status: number; type: string; text: string; headers: Headers }> {
  const res = await fetch(new URL(path, base), { headers: token ? { 'Access-Token': token } : {} });
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    text: await res.text(),
    headers: res.headers,
  };
}

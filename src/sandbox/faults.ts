import type { ServerResponse } from 'node:http';
import { unitFor } from './random.js';

/**
 * Platform faults, decided per request number from the seed: the same seed and rate fault the
 * same requests. A faulted request fails without serving data (nothing is corrupted); any retry
 * is a new request with its own draw, so retries succeed eventually.
 */

export type FaultKind = '429' | '433' | 'limitBody' | 'html502' | 'slow' | 'timeout';

export const FAULT_KINDS: readonly FaultKind[] = [
  '429',
  '433',
  'limitBody',
  'html502',
  'slow',
  'timeout',
];

export interface FaultOptions {
  /** Share of requests that fault, 0..1. */
  rate: number;
  seed?: string | number;
  kinds?: readonly FaultKind[];
  /** Delay of a slow reply (default 300 ms). */
  slowMs?: number;
  /** How long a timeout holds the socket before dropping it (default 30 s; set above the client timeout). */
  holdMs?: number;
}

export function faultFor(options: FaultOptions | undefined, requestNo: number): FaultKind | null {
  if (!options || options.rate <= 0) return null;
  const seed = String(options.seed ?? 0);
  if (unitFor('fault', seed, requestNo) >= options.rate) return null;
  const kinds = options.kinds && options.kinds.length > 0 ? options.kinds : FAULT_KINDS;
  return kinds[Math.floor(unitFor('kind', seed, requestNo) * kinds.length)] ?? null;
}

const LIMIT_BODY = JSON.stringify({
  type: 'apiRequestLimit',
  description: 'Превышен лимит запросов для данного токена',
});

const HTML_502 = `<!DOCTYPE html>
<html lang="ru"><head><meta charset="utf-8"><title>502 Bad Gateway</title></head>
<body><div class="error"><h1>502</h1><div class="error__description">Сервис временно недоступен. Попробуйте позже.</div></div></body></html>`;

/** Writes the failing reply of a fault; `slow` and `timeout` are handled by the server. */
export function writeFault(
  res: ServerResponse,
  kind: '429' | '433' | 'limitBody' | 'html502',
  requestNo: number,
): void {
  const json = { 'Content-Type': 'application/json; charset=utf-8' };
  switch (kind) {
    case '429':
      res.writeHead(429, { ...json, 'Retry-After': String(requestNo % 2) }).end(LIMIT_BODY);
      return;
    case '433':
      res.writeHead(433, json).end(LIMIT_BODY);
      return;
    case 'limitBody':
      res.writeHead(200, json).end(LIMIT_BODY);
      return;
    case 'html502':
      res.writeHead(502, { 'Content-Type': 'text/html; charset=utf-8' }).end(HTML_502);
      return;
  }
}

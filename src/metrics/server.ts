import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';
import { EnvironmentError } from '../platform/errors.js';
import type { Logger } from '../platform/logger.js';

/**
 * A worker's HTTP endpoint, bound to 127.0.0.1 unless configured otherwise:
 * - `GET /metrics`: Prometheus text format;
 * - `GET /health`: liveness, 200 while the process serves requests;
 * - `GET /ready`: readiness, 200 when every dependency answers (Redis, the database), else 503;
 *   the body names each one, e.g. `{"ready":false,"redis":false,"database":true}`.
 */
export interface MetricsServer {
  url: string;
  /** The endpoint's origin, e.g. `http://127.0.0.1:9464`. */
  origin: string;
  close(): Promise<void>;
}

/** Named readiness checks; each resolves within a short time (see probes.ts). */
export type ReadinessChecks = Record<string, () => Promise<boolean>>;

export async function startMetricsServer(options: {
  registry: Registry;
  port: number;
  host: string;
  logger?: Logger;
  ready?: ReadinessChecks;
}): Promise<MetricsServer> {
  const { registry, logger } = options;
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method === 'GET' && path === '/health') {
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok\n');
      return;
    }
    if (req.method === 'GET' && path === '/ready') {
      void readiness(options.ready ?? {}).then((body) =>
        res
          .writeHead(body.ready ? 200 : 503, { 'Content-Type': 'application/json' })
          .end(`${JSON.stringify(body)}\n`),
      );
      return;
    }
    if (req.method !== 'GET' || path !== '/metrics') {
      res
        .writeHead(404, { 'Content-Type': 'text/plain' })
        .end('not found: GET /metrics, /health or /ready\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(text),
      (err: unknown) => {
        logger?.warn({ err }, 'metrics scrape failed');
        res.writeHead(500, { 'Content-Type': 'text/plain' }).end('metrics unavailable\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(listenError(err, options)));
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const origin = `http://${host}:${port}`;
  logger?.info({ url: `${origin}/metrics` }, 'metrics endpoint listening');
  return {
    url: `${origin}/metrics`,
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readiness(checks: ReadinessChecks): Promise<Record<string, boolean>> {
  const names = Object.keys(checks);
  const results = await Promise.all(names.map((n) => checks[n]!().catch(() => false)));
  const body: Record<string, boolean> = { ready: results.every(Boolean) };
  names.forEach((n, i) => (body[n] = results[i]!));
  return body;
}

/** A port in use or not ours to bind is the operator's to fix: exit 2, naming the address. */
function listenError(err: NodeJS.ErrnoException, at: { host: string; port: number }): Error {
  const where = `${at.host}:${at.port} (jobs.metrics)`;
  if (err.code === 'EADDRINUSE') {
    return new EnvironmentError(
      `cannot serve metrics on ${where}: the address is in use by another process`,
      2,
      { cause: err },
    );
  }
  if (err.code === 'EACCES' || err.code === 'EADDRNOTAVAIL') {
    return new EnvironmentError(`cannot serve metrics on ${where}: ${err.code}`, 2, { cause: err });
  }
  return new EnvironmentError(`cannot serve metrics on ${where}: ${err.message}`, 1, {
    cause: err,
  });
}

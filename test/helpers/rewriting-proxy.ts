import { createServer } from 'node:http';
import { parse, stringify } from 'lossless-json';

/**
 * A proxy in front of the sandbox platform that lets a test rewrite replies, for platform
 * behaviour the sandbox itself never shows (an empty list, a `null` body, a record with a field
 * gone). ezh is pointed at `url` instead of the sandbox's.
 */
export type Rewrite = (path: string, body: string) => string | undefined;

export interface RewritingProxy {
  /** API root through the proxy, like the sandbox's `url`. */
  url: string;
  /** Replaces a reply's body: called with the path after `/v2/` (no query); undefined: as is. */
  rewrite: Rewrite | null;
  close(): Promise<void>;
}

export async function startRewritingProxy(target: string): Promise<RewritingProxy> {
  const origin = new URL(target).origin;
  const proxy: RewritingProxy = { url: '', rewrite: null, close: async () => undefined };
  const server = createServer((req, res) => {
    void (async () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) {
        if (typeof v === 'string' && k !== 'host' && k !== 'connection') headers[k] = v;
      }
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const reply = await fetch(`${origin}${req.url ?? '/'}`, {
        method: req.method,
        headers,
        body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
      });
      let body = await reply.text();
      const path = new URL(req.url ?? '/', origin).pathname.replace(/^\/v2(?:\.0)?\//, '');
      if (reply.ok) body = proxy.rewrite?.(path, body) ?? body;
      res.writeHead(reply.status, {
        'Content-Type': reply.headers.get('content-type') ?? 'application/json',
      });
      res.end(body);
    })().catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ type: 'apiServerError', description: String(err) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  proxy.url = `http://127.0.0.1:${port}/v2/`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}

/** Edits a JSON reply without rounding its int64 ids. */
export function editJson(body: string, edit: (value: unknown) => unknown): string {
  return stringify(edit(parse(body))) ?? body;
}

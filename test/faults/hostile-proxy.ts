import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * A proxy between ezh and the sandbox platform that answers some requests with a hostile reply:
 * a status, headers and body of its choice, the platform's own reply cut short or rewritten, or
 * no reply at all. Every other request goes through unchanged. One rule is armed at a time.
 */

export type HostileReply =
  /** A reply made up entirely by the proxy. */
  | { kind: 'reply'; status: number; headers?: Record<string, string>; body: string }
  /** The platform's reply with its full Content-Length, cut off halfway and the socket closed. */
  | { kind: 'truncate' }
  /** No reply: the socket is held open until the client gives up. */
  | { kind: 'hang' }
  /** The platform's reply with its body rewritten (as text: int64 ids stay exact). */
  | { kind: 'rewrite'; rewrite: (body: string) => string };

export interface HostileRule {
  /** Which requests, by path under the API root (`schools/1/edu-groups`). */
  path: RegExp;
  /** How many matching requests get the hostile reply; later ones pass through. */
  times: number;
  reply: HostileReply;
}

export interface HostileProxy {
  /** API root through the proxy, like the sandbox's `url`. */
  url: string;
  arm(rule: HostileRule | null): void;
  /** Hostile replies served since the rule was armed. */
  served(): number;
  close(): Promise<void>;
}

export async function startHostileProxy(upstreamUrl: string): Promise<HostileProxy> {
  const upstream = new URL(upstreamUrl);
  let rule: HostileRule | null = null;
  let served = 0;
  const held = new Set<Socket>();

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://proxy').pathname.replace(/^\/v2(?:\.0)?\//, '');
    if (rule && served < rule.times && rule.path.test(path)) {
      served++;
      hostile(rule.reply, req, res);
    } else {
      pass(req, res, null);
    }
  });

  function hostile(reply: HostileReply, req: IncomingMessage, res: ServerResponse): void {
    switch (reply.kind) {
      case 'reply':
        res.writeHead(reply.status, {
          'Content-Type': 'application/json; charset=utf-8',
          ...reply.headers,
          'Content-Length': Buffer.byteLength(reply.body),
        });
        res.end(reply.body);
        return;
      case 'hang':
        held.add(req.socket);
        req.socket.once('close', () => held.delete(req.socket));
        return;
      case 'truncate':
      case 'rewrite':
        pass(req, res, reply);
        return;
    }
  }

  /** Forwards a request to the platform; a `truncate` or `rewrite` reply alters its answer. */
  function pass(req: IncomingMessage, res: ServerResponse, alter: HostileReply | null): void {
    const out = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (up) => {
        const chunks: Buffer[] = [];
        up.on('data', (c: Buffer) => chunks.push(c));
        up.on('end', () => {
          let body = Buffer.concat(chunks);
          if (alter?.kind === 'rewrite') {
            body = Buffer.from(alter.rewrite(body.toString('utf8')), 'utf8');
          }
          const headers = { ...up.headers, 'content-length': String(body.length) };
          delete headers['transfer-encoding'];
          res.writeHead(up.statusCode ?? 502, headers);
          if (alter?.kind === 'truncate') {
            res.write(body.subarray(0, Math.floor(body.length / 2)));
            // Headers promised the whole body: the client sees the connection end mid-reply.
            setTimeout(() => res.socket?.destroy(), 20);
            return;
          }
          res.end(body);
        });
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}${upstream.pathname}`,
    arm: (r) => {
      rule = r;
      served = 0;
    },
    served: () => served,
    close: async () => {
      for (const s of held) s.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

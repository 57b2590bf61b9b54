/**
 * `ezh serve` over a prepared mirror in a child process, so that the load generator of
 * bench/web-pages does not share the server's event loop. Started by `web-pages.bench.ts`;
 * options in env `EZH_BENCH_WEB` (JSON: the mirror's path, the config, the clock's instant).
 * Sends `{ url }` when listening; exits on `{ type: 'close' }`.
 */
import type { AppContext } from '../../src/app/context.js';
import { appConfigSchema } from '../../src/app/config.js';
import { openMirror } from '../../src/mirror/data-source.js';
import { ManualClock } from '../../src/platform/clock.js';
import { createLogger } from '../../src/platform/logger.js';
import { startWebServer } from '../../src/web/server.js';

interface WebChildOptions {
  path: string;
  config: Record<string, unknown>;
  now: number;
}

const options = JSON.parse(process.env.EZH_BENCH_WEB ?? '{}') as WebChildOptions;
const mirror = await openMirror({ type: 'sqlite', path: options.path, schema: 'public' });
const app: AppContext = {
  config: appConfigSchema.parse(options.config),
  configSource: null,
  logger: createLogger({ level: 'silent' }),
  clock: new ManualClock(options.now),
  mirror: () => Promise.resolve(mirror),
  close: () => mirror.close(),
};
const web = await startWebServer({ app, host: '127.0.0.1', port: 0 });
process.on('message', (msg: { type: string }) => {
  if (msg.type === 'close') {
    void web
      .close()
      .then(() => mirror.close())
      .then(() => process.exit(0));
  }
});
process.send?.({ type: 'ready', url: web.url, pid: process.pid });

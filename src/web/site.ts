import type { AppContext } from '../app/context.js';
import { platformLoginProblems } from '../app/platform-login.js';
import { startEmbeddedHost, type EmbeddedHost } from '../jobs/embedded-host.js';
import { redisConnection } from '../jobs/redis.js';
import { jobSpec } from '../jobs/job-names.js';
import { ServiceQueues } from '../jobs/service-queues.js';
import type { RenderQueue } from '../app/document-renders.js';
import { UsageError } from '../platform/errors.js';
import { startWebServer, type WebServer } from './server.js';
import { checkTransport } from './transport.js';

/**
 * The whole `ezh serve` process: the web server, plus the embedded scheduler (embedded mode: one
 * process for a small school) or Bull Board over the BullMQ queues (service mode: a stateless
 * process, any number behind the proxy; jobs run in `ezh worker`).
 */
export interface Site {
  web: WebServer;
  mode: 'embedded' | 'service';
  /** Stops taking requests, finishes those under way, stops the scheduler, closes the queues. */
  close(): Promise<void>;
}

export interface SiteOptions {
  host?: string;
  port?: number;
  /** Overrides `web.mode`. */
  mode?: 'embedded' | 'service';
  /** Embedded mode without the scheduler (the demo: its sandbox has no schedules to keep). */
  scheduler?: boolean;
  now?: () => number;
}

export async function startSite(app: AppContext, options: SiteOptions = {}): Promise<Site> {
  const mode = options.mode ?? app.config.web.mode;
  checkTransport(app.config.web, options.host ?? app.config.web.host);
  const problems = platformLoginProblems(app.config);
  if (problems.length > 0) throw new UsageError('web.oauth is enabled but incomplete', problems);
  if (mode === 'service' && !app.config.web.sessionSecret) {
    throw new UsageError('service mode needs a shared session key', [
      'web.sessionSecret: is required in service mode (EZH_WEB__SESSION_SECRET, openssl rand -hex 32)',
    ]);
  }
  await app.mirror(); // migrations run, the mirror answers: before the port is bound
  let host: EmbeddedHost | null = null;
  let queues: ServiceQueues | null = null;
  if (mode === 'embedded' && options.scheduler !== false) host = await startEmbeddedHost(app);
  if (mode === 'service') queues = new ServiceQueues(redisConnection(app.config.redis), app.config);
  let web: WebServer;
  try {
    web = await startWebServer({
      app,
      host: options.host,
      port: options.port,
      now: options.now,
      queues: queues ? [...queues.queues.values()] : null,
      renderQueue: queues ? renderQueueOn(queues) : null,
    });
  } catch (err) {
    await host?.stop();
    await queues?.close();
    queues?.connection.disconnect();
    throw err;
  }
  return {
    web,
    mode,
    close: async () => {
      await web.close();
      await host?.stop();
      if (queues) {
        await queues.close();
        queues.connection.disconnect();
      }
    },
  };
}

/**
 * Service mode's printer of documents ordered on the site: a `reports.render` job naming the
 * render (its params stay in the mirror), for a worker to print where every web process reads it.
 */
export function renderQueueOn(queues: ServiceQueues): RenderQueue {
  return (r) =>
    queues.add(
      jobSpec(
        'reports.render',
        { report: r.documentId, ...(r.schoolId ? { schoolId: r.schoolId } : {}), render: r.id },
        `web-render-${r.id}`,
      ),
    );
}

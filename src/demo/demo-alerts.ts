import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { AppContext } from '../app/context.js';
import { ensurePrivateDir } from '../platform/private-files.js';
import { createFileChannel } from '../alerts/channels/file.js';
import { DEFAULT_FROM } from '../alerts/channels/email-message.js';
import { sendAlerts } from '../alerts/send-alerts.js';

/**
 * `ezh demo`'s alert step: every digest that would go out at `asOf`, written as .eml files into
 * `<outDir>/alerts/` instead of sent. A preview: it ignores and leaves untouched the delivery
 * bookkeeping (a demo must not suppress real alerts later), so repeated demos write the same files;
 * recipients without an address get a placeholder in the reserved `.invalid` domain.
 */
export async function writeDemoAlerts(
  app: AppContext,
  opts: { outDir: string; asOf: number },
): Promise<{ files: string[] }> {
  const dir = join(opts.outDir, 'alerts');
  ensurePrivateDir(dir);
  // Only the files of this preview: earlier demos' .eml files would mix two as-of instants.
  for (const f of readdirSync(dir)) if (f.endsWith('.eml')) rmSync(join(dir, f));
  const mirror = await app.mirror();
  const channel = createFileChannel(dir, app.config.alerts.smtp.from ?? DEFAULT_FROM);
  try {
    const result = await sendAlerts(
      // Sent "at" the as-of: the demo lives on the sandbox's timeline, not the wall clock's.
      {
        db: mirror.db,
        config: app.config,
        logger: app.logger,
        channels: [channel],
        clock: { now: () => opts.asOf },
      },
      {
        asOf: opts.asOf,
        preview: {
          addressFallback: (r) => `${r.key.replace(/[^A-Za-z0-9]+/g, '-')}@example.invalid`,
        },
      },
    );
    return { files: result.digests.flatMap((d) => (d.path ? [d.path] : [])) };
  } finally {
    await channel.close();
  }
}

import type { Command } from 'commander';
import { mkdirSync } from 'node:fs';
import { countEntities, formatTable } from '../../mirror/stats.js';
import { withApp } from '../run-action.js';

/**
 * `ezh demo`: the embedded main job on the built-in defaults. Each capability adds its step here
 * (sync of the sandbox platform, checks, reports, alerts, archive), writing into `./out`.
 */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'start the sandbox platform, sync it, check it and render every document into ./out',
    )
    .action(
      withApp(async (app) => {
        mkdirSync(app.config.outDir, { recursive: true });
        const mirror = await app.mirror();
        app.logger.info({ mirror: mirror.describe }, 'mirror ready');
        const counts = await countEntities(mirror.db);
        process.stdout.write(`Mirror: ${mirror.describe}\n`);
        process.stdout.write(
          `${formatTable(
            ['entity', 'live', 'deleted', 'versions'],
            counts.map((c) => [c.stream, c.live, c.deleted, c.versions]),
          )}\n`,
        );
      }),
    );
}

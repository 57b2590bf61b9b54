import type { Command } from 'commander';
import { ConnectorCache } from '../../jobs/host.js';
import { systemClock } from '../../platform/clock.js';
import { UsageError } from '../../platform/errors.js';
import { verifyMirror } from '../../sync/verify-mirror.js';
import { formatComparison } from '../../sync/verify-mirror-report.js';
import { withApp } from '../run-action.js';

/**
 * `ezh verify-mirror`: reads the school year from the platform (read only) and compares it with
 * the mirror. Exit 0 when every configured school's mirror equals the platform, 1 when not.
 */
export function registerVerifyMirrorCommand(program: Command): void {
  program
    .command('verify-mirror')
    .description(
      'read the school year from the platform (read only) and compare it with the mirror: row counts and content hashes per stream; exit 0 equal, 1 different',
    )
    .option('--school <id>', 'only this school (default: every configured school)')
    .action(
      withApp(async (app, flags: { school?: string }) => {
        const ids = app.config.schools.map((s) => s.id);
        if (ids.length === 0) {
          throw new UsageError('bad verify-mirror options', [
            'schools: no school configured (add schools[].id to the config)',
          ]);
        }
        if (flags.school && !ids.includes(flags.school)) {
          throw new UsageError('bad verify-mirror options', [
            `--school: ${flags.school} is not in the config's schools`,
          ]);
        }
        const mirror = await app.mirror();
        const connectors = new ConnectorCache(app.config);
        let equal = true;
        try {
          for (const schoolId of flags.school ? [flags.school] : ids) {
            const result = await verifyMirror(
              {
                db: mirror.db,
                connector: connectors.connectorFor(schoolId),
                config: app.config,
                clock: systemClock,
              },
              schoolId,
            );
            process.stdout.write(`School ${schoolId}\n${formatComparison(result)}\n`);
            if (!result.equal) equal = false;
          }
        } finally {
          await connectors.close();
        }
        return equal ? 0 : 1;
      }),
    );
}

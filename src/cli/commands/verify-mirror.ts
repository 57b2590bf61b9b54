import type { Command } from 'commander';
import { verifyMirrors } from '../../app/sync-service.js';
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
        const equal = await verifyMirrors(app, { schoolId: flags.school }, (schoolId, result) => {
          process.stdout.write(`School ${schoolId}\n${formatComparison(result)}\n`);
        });
        return equal ? 0 : 1;
      }),
    );
}

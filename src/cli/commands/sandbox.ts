import type { Command } from 'commander';
import { UsageError } from '../../platform/errors.js';
import { startSandbox, type AttendanceStorage } from '../../sandbox/index.js';
import { withApp } from '../run-action.js';
import { writePrivateFileAtomic } from '../../platform/private-files.js';

interface SandboxCliOptions {
  port: string;
  size: string;
  seed: string;
  schools: string;
  faultRate?: string;
  answerKey?: string;
  attendance: string;
}

/**
 * `ezh sandbox`: the sandbox platform in the foreground, for trying ezh (or any Dnevnik.ru client)
 * against a generated school. Prints the base URL, school ids and their sandbox tokens; stops on
 * SIGINT/SIGTERM.
 */
export function registerSandboxCommand(program: Command): void {
  program
    .command('sandbox')
    .description(
      'run the sandbox platform (a local Dnevnik.ru v2 API with a generated school) until interrupted',
    )
    .option('--port <n>', 'port on 127.0.0.1 (0: any free port)', '0')
    .option(
      '--size <size>',
      'generated school: small (4 classes, 2026/27 up to 9 Nov) or large (48 classes, a whole year)',
      'small',
    )
    .option('--seed <s>', 'seed of the generated data', '1')
    .option('--schools <n>', 'number of schools (each with its own token and time zone)', '1')
    .option(
      '--fault-rate <r>',
      'share of requests that fault (429, 433, error bodies, HTML 502, slow, timeout)',
    )
    .option(
      '--attendance <storage>',
      'how the platform stores attendance: every-student, or exceptions-only (absences and lateness)',
      'every-student',
    )
    .option(
      '--answer-key <file>',
      'write the answer key (violations the checks must find now) to this JSON file',
    )
    .action(
      withApp(async (app, opts: SandboxCliOptions) => {
        const problems: string[] = [];
        const port = Number(opts.port);
        const schools = Number(opts.schools);
        const rate = opts.faultRate === undefined ? 0 : Number(opts.faultRate);
        if (!Number.isInteger(port) || port < 0 || port > 65535) {
          problems.push(`--port: expected 0..65535, got "${opts.port}"`);
        }
        if (opts.size !== 'small' && opts.size !== 'large') {
          problems.push(`--size: expected small or large, got "${opts.size}"`);
        }
        if (!Number.isInteger(schools) || schools < 1 || schools > 20) {
          problems.push(`--schools: expected 1..20, got "${opts.schools}"`);
        }
        if (!(rate >= 0 && rate < 1)) {
          problems.push(`--fault-rate: expected a number in [0, 1), got "${opts.faultRate}"`);
        }
        if (opts.attendance !== 'every-student' && opts.attendance !== 'exceptions-only') {
          problems.push(
            `--attendance: expected every-student or exceptions-only, got "${opts.attendance}"`,
          );
        }
        if (problems.length > 0) throw new UsageError('bad sandbox options', problems);

        const sb = await startSandbox({
          size: opts.size as 'small' | 'large',
          seed: opts.seed,
          port,
          schools,
          faults: rate > 0 ? { rate, seed: opts.seed } : undefined,
          attendance: opts.attendance as AttendanceStorage,
        });
        const out = process.stdout;
        out.write(`Sandbox platform: ${sb.url}\n`);
        out.write(`Sandbox time: ${new Date(sb.now()).toISOString()}\n`);
        for (const s of sb.schools) {
          out.write(`  school ${s.id}  ${s.name}  zone ${s.timeZone}  token ${s.token}\n`);
        }
        if (opts.answerKey) {
          const keys = sb.schools.map((s) => sb.answerKey(sb.now(), { schoolId: s.id }));
          writePrivateFileAtomic(
            opts.answerKey,
            `${JSON.stringify(keys.length === 1 ? keys[0] : keys, null, 2)}\n`,
          );
          out.write(`Answer key: ${opts.answerKey}\n`);
        }
        app.logger.info({ url: sb.url, schools: sb.schools.length }, 'sandbox platform listening');
        await new Promise<void>((resolve) => {
          const stop = () => resolve();
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        await sb.close();
        out.write('Sandbox stopped.\n');
      }),
    );
}

/**
 * A sync in its own process, for the crash test: the parent kills it with SIGKILL at random
 * moments and runs it again. Input (env EZH_SYNC_CHILD, JSON): sandbox URL and schools, the
 * SQLite file, the sandbox's "now". Exit 0 when the run succeeded.
 */
import { openMirror } from '../../src/mirror/data-source.js';
import { ManualClock } from '../../src/platform/clock.js';
import { sandboxConfig, syncSandboxSchool } from './sandbox-sync.js';

interface ChildInput {
  url: string;
  schools: { id: string; token: string; timeZone: string }[];
  dbPath: string;
  now: number;
  schoolId: string;
}

const input = JSON.parse(process.env.EZH_SYNC_CHILD ?? '{}') as ChildInput;
const config = sandboxConfig({ url: input.url, schools: input.schools as never });
const mirror = await openMirror({ type: 'sqlite', path: input.dbPath, schema: 'public' });
try {
  const summary = await syncSandboxSchool(
    mirror.db,
    config,
    new ManualClock(input.now),
    input.schoolId,
  );
  process.stdout.write(
    `${JSON.stringify({ status: summary.status, resumed: summary.resumed, done: summary.scopesDone, total: summary.scopesTotal })}\n`,
  );
  process.exitCode = summary.status === 'succeeded' ? 0 : 1;
} finally {
  await mirror.close();
}

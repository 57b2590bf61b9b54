import { join } from 'node:path';
import type { SandboxServer } from '../sandbox/index.js';

/**
 * The configuration the demo runs with: the embedded defaults (SQLite, in-process jobs), pointed
 * at the sandbox platform it started. Its mirror is a file of its own, made afresh each run, so
 * the demo never touches a school's real mirror and always tells the same story.
 */
export function demoOverrides(sandbox: SandboxServer, dataDir: string): Record<string, unknown> {
  return {
    database: { type: 'sqlite', path: join(dataDir, 'demo.sqlite') },
    platform: {
      baseUrl: sandbox.url,
      // The sandbox is local: no reason to pace requests as for the real platform.
      requestsPerSecond: 100,
      concurrency: 4,
      timeoutMs: 10_000,
    },
    schools: sandbox.schools.map((s) => ({
      id: s.id,
      token: s.token,
      timeZone: s.timeZone,
      finalMarkDeadlines: s.finalMarkDeadlines,
      director: 'Петрова Анна Ивановна',
      deputyDirector: 'Смирнова Елена Викторовна',
    })),
  };
}

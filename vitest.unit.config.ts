import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * The unit tier (`npm run test:unit`): the test files that need no PostgreSQL, Redis or Chromium,
 * the mirror tests on their SQLite half only. No global setup demands the services; instead
 * test/unit/no-services.ts makes any test that reaches for one fail at once, naming the service.
 * `npm test` (vitest.config.ts) still runs every file against the real services.
 *
 * A file belongs to the service tier when it is an integration test or its text shows it talks to
 * a service (the markers below); every other `src/**` and `test/*` test file is a unit test.
 */
const SERVICE_MARKERS = [
  /helpers\/(redis|worker-cluster|sync-child|open-mirror-child)\.js/, // Redis, spawned processes
  /\bTEST_(PG|REDIS)_URL\b/, // PostgreSQL or Redis by address
  /createTestMirror\('postgres'\)/, // a PostgreSQL-only mirror test
  /from '(ioredis|bullmq|pg)'/,
  /\bpdftotext\b|PdfRenderer|createPdfRenderer|reportsDocumentRenderer/, // Chromium
  /^\/\/ tier: services\b/m, // said outright by a test that reaches a service some other way
];

function needsServices(file: string): boolean {
  const text = readFileSync(file, 'utf8');
  return SERVICE_MARKERS.some((marker) => marker.test(text));
}

const testFiles = (dir: string, recursive: boolean): string[] =>
  readdirSync(dir, { recursive })
    .map((name) => join(dir, String(name)))
    .filter((file) => file.endsWith('.test.ts'));

const unitFiles = [...testFiles('src', true), ...testFiles('test', false)]
  .filter((file) => !needsServices(file))
  .sort();
// The guard's own test: it only means something with the guard installed, so only here.
unitFiles.push('test/unit/no-services.unit.ts');

export default defineConfig({
  test: {
    include: unitFiles,
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 20_000,
    setupFiles: ['test/unit/no-services.ts'],
  },
});

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recordFigure } from './figures.js';
import { runBadConfig, tableOf } from './bad-configs.runner.js';

/**
 * The bad-configuration table: every entry is refused at load time (exit 2) with its paths
 * named. The table is `test/fixtures/config/bad-configs.ts` (from the h-config branch); until it
 * is merged, the repository's one bad config (`bad.yaml`, three mistakes) keeps the runner honest.
 */

const FIXTURES = join(import.meta.dirname, '../fixtures/config');
const TABLE = join(FIXTURES, 'bad-configs.ts');
// A path held in a variable: the module may not exist on this branch, and that is not an error.
const tableModule = existsSync(TABLE) ? ((await import(TABLE)) as Record<string, unknown>) : null;
const entries = tableModule
  ? tableOf(tableModule)
  : [
      {
        name: 'bad.yaml (three mistakes)',
        yaml: readFileSync(join(FIXTURES, 'bad.yaml'), 'utf8'),
        paths: ['platform.baseUrl', 'platform.requestsPerSecond', 'database.type'],
      },
    ];

describe(`bad configuration (${tableModule ? 'bad-configs.ts' : 'bad.yaml only: bad-configs.ts not on this branch'})`, () => {
  let refused = 0;
  afterAll(() =>
    recordFigure('bad configurations refused with their paths', refused, entries.length),
  );

  for (const entry of entries) {
    const name = entry.name ?? (entry as { title?: string }).title ?? '(unnamed)';
    it(`${name}: exit 2, every path named`, () => {
      const outcome = runBadConfig(entry);
      expect(outcome.missingPaths, outcome.problems.join('\n')).toEqual([]);
      expect(outcome.refused).toBe(true);
      refused++;
    });
  }
});

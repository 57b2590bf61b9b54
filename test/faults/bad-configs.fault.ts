import { afterAll, describe, expect, it } from 'vitest';
import { BAD_CONFIGS } from '../fixtures/config/bad-configs.js';
import { recordFigure } from './figures.js';
import { runBadConfig } from './bad-configs.runner.js';

/** The bad-configuration table: every entry is refused at load time (exit 2), its path named. */
describe('bad configuration', () => {
  let refused = 0;
  afterAll(() =>
    recordFigure('bad configurations refused with their paths', refused, BAD_CONFIGS.length),
  );

  for (const entry of BAD_CONFIGS) {
    it(`${entry.name}: exit 2, the path named`, () => {
      const outcome = runBadConfig(entry);
      expect(outcome.refused, outcome.problems.join('\n')).toBe(true);
      refused++;
    });
  }
});

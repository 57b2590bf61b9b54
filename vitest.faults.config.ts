import { defineConfig } from 'vitest/config';

/**
 * The fault suite (`npm run test:faults`): kills, hostile platform replies, bad configuration,
 * two processes at once. Its own files (`test/faults/*.fault.ts`), so `npm test` does not run
 * them; CI runs both. Bounded to about 5 minutes on 2 cores: files run two at a time.
 */
export default defineConfig({
  test: {
    include: ['test/faults/*.fault.ts'],
    maxWorkers: 2,
    testTimeout: 240_000,
    hookTimeout: 240_000,
    globalSetup: ['test/faults/global-setup.ts'],
  },
});

/**
 * Opens (and so migrates) a mirror in its own process, for tests of concurrent first opens.
 * Input: env EZH_OPEN_MIRROR (JSON database config). Prints `opened` and exits 0 on success.
 */
import { openMirror } from '../../src/mirror/data-source.js';

const database = JSON.parse(process.env.EZH_OPEN_MIRROR ?? '{}') as Parameters<
  typeof openMirror
>[0];
const mirror = await openMirror(database);
await mirror.close();
process.stdout.write('opened\n');

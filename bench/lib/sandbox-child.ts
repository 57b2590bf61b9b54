/**
 * The sandbox platform in a child process, so that a benchmark measures ezh and not the
 * emulator's journal generation on the same two cores. Started by `sandbox-process.ts`; options
 * in env `EZH_BENCH_SANDBOX` (JSON); answers `{ type: 'requests' }` with the request count and
 * `{ type: 'advanceTo', at }` by moving its clock (what the school did meanwhile becomes visible).
 */
import { startSandbox, type StartSandboxOptions } from '../../src/sandbox/index.js';

const options = JSON.parse(process.env.EZH_BENCH_SANDBOX ?? '{}') as StartSandboxOptions;
const sb = await startSandbox(options);
process.on('message', (msg: { type: string; at?: number }) => {
  if (msg.type === 'requests') {
    process.send?.({ type: 'requests', count: sb.requestCount(), refused: sb.refusedCount() });
  }
  if (msg.type === 'advanceTo') {
    sb.advanceTo(msg.at!);
    process.send?.({ type: 'advanced', now: sb.now() });
  }
  if (msg.type === 'close') void sb.close().then(() => process.exit(0));
});
process.send?.({ type: 'ready', url: sb.url, schools: sb.schools, now: sb.now() });

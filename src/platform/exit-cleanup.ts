/**
 * Work that must not outlive the process: temporary copies of the mirror (gigabytes, personal
 * data) and the browser's process group. Each is registered with a synchronous cleanup, run
 * when the process exits and when SIGINT, SIGTERM or SIGHUP would end it. A command that
 * handles a signal itself (a sync or worker stopping gracefully) keeps that signal: its
 * `finally` blocks clean up, and the exit hook catches the rest. `kill -9` runs nothing: the
 * next start sweeps what is left (`temp-dirs.ts`), and the browser dies with its pipe.
 */

type Cleanup = () => void;

const cleanups = new Set<Cleanup>();
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let installed = false;

/** Registers `fn`; the returned function unregisters it (call it once the work is done). */
export function onExitCleanup(fn: Cleanup): () => void {
  install();
  cleanups.add(fn);
  return () => {
    cleanups.delete(fn);
  };
}

/**
 * Runs every registered cleanup once, the latest first (a browser is killed before its profile
 * folder is removed); exceptions are swallowed: one must not stop the others.
 */
export function runExitCleanups(): void {
  for (const fn of [...cleanups].reverse()) {
    cleanups.delete(fn);
    try {
      fn();
    } catch {
      // Best effort at exit: nothing is left to report to.
    }
  }
}

function onSignal(signal: NodeJS.Signals): void {
  // Someone else handles this signal (a graceful stop): the process goes on for now.
  if (process.listenerCount(signal) > 1) return;
  runExitCleanups();
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  // Re-raised without a handler: the process ends as the signal says (exit status 128 + n).
  process.kill(process.pid, signal);
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', runExitCleanups);
  for (const s of SIGNALS) process.on(s, onSignal);
}

import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SqlDb } from '../../mirror/sql.js';
import { SqliteDb } from '../../mirror/sql.js';
import type { RuleEvaluation } from '../evaluate-rule.js';
import type { Rule, RuleContextBase } from '../rule.js';
import type { RuleTask, WorkerInit, WorkerReply } from './messages.js';

/** The mirror file when rules can be spread over threads: a SQLite file, not in a transaction. */
export function parallelSqlitePath(db: SqlDb): string | null {
  if (!(db instanceof SqliteDb)) return null;
  const raw = db.raw;
  if (raw.memory || raw.inTransaction || raw.name === '' || raw.name === ':memory:') return null;
  return raw.name;
}

/**
 * Evaluates rules on `threads` worker threads, each with its own connection to the SQLite file
 * (better-sqlite3 blocks its thread, so one connection can use only one core). Findings are
 * returned per rule id; the first error rejects the whole evaluation and stops every thread.
 */
export async function evaluateOnThreads(
  path: string,
  ctx: RuleContextBase,
  tasks: readonly { rule: Rule; params: Record<string, unknown> }[],
  threads: number,
): Promise<Map<string, RuleEvaluation>> {
  // In the order given: the engine starts the heavy rules first (rule.ts, `heavy`).
  const queue: RuleTask[] = tasks.map((t) => ({ ruleId: t.rule.id, params: t.params }));
  const { db: _db, ...plainCtx } = ctx;
  const init: WorkerInit = { path, ctx: plainCtx };
  const results = new Map<string, RuleEvaluation>();
  const workers: Worker[] = [];
  const count = Math.max(1, Math.min(threads, queue.length));
  try {
    await new Promise<void>((resolve, reject) => {
      let running = count;
      for (let i = 0; i < count; i++) {
        const worker = startWorker(init);
        workers.push(worker);
        const next = () => worker.postMessage(queue.shift() ?? null);
        worker.on('message', (reply: WorkerReply) => {
          if ('error' in reply) {
            const err = new Error(`rule ${reply.ruleId}: ${reply.error.message}`);
            err.stack = reply.error.stack;
            reject(err);
            return;
          }
          if ('findings' in reply) {
            results.set(reply.ruleId, { findings: reply.findings, durationMs: reply.durationMs });
          }
          if (queue.length === 0) {
            worker.postMessage(null);
            if (--running === 0) resolve();
          } else {
            next();
          }
        });
        worker.on('error', reject);
        worker.on('exit', (code) => {
          if (code !== 0) reject(new Error(`checks worker thread exited with code ${code}`));
        });
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}

function startWorker(init: WorkerInit): Worker {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    // Running from source (tsx, vitest): the thread registers the TypeScript loader first.
    // tsx's ESM entry of its API (require.resolve finds the CommonJS twin next to it).
    const cjs = createRequire(here).resolve('tsx/esm/api');
    const api = pathToFileURL(cjs.replace(/\.cjs$/, '.mjs')).href;
    const entry = new URL('./rule-worker.ts', here).href;
    const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
    return new Worker(boot, { eval: true, workerData: init });
  }
  return new Worker(new URL('./rule-worker.js', here), { workerData: init });
}

/**
 * A worker thread that evaluates rules over its own read-only connection to a SQLite mirror file
 * (better-sqlite3 is synchronous: one connection uses one core). Tasks arrive one at a time from
 * rule-pool.ts; each reply carries the rule's findings or the error.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteDb } from '../../mirror/sql.js';
import { openSqlite } from '../../mirror/sqlite-open.js';
import { evaluateRule } from '../evaluate-rule.js';
import { RULES } from '../registry.js';
import type { RuleContextBase } from '../rule.js';
import type { RuleTask, WorkerInit, WorkerReply } from './messages.js';

const init = workerData as WorkerInit;
// Checks only read: the reader role refuses any write through this connection.
const raw = openSqlite(init.path, 'reader', { fileMustExist: true });
const ctx: RuleContextBase = { ...init.ctx, db: new SqliteDb(raw) };

parentPort!.on('message', (task: RuleTask | null) => {
  if (task === null) {
    raw.close();
    parentPort!.close();
    return;
  }
  void evaluate(task).then((reply) => parentPort!.postMessage(reply));
});

async function evaluate(task: RuleTask): Promise<WorkerReply> {
  try {
    const rule = RULES.get(task.ruleId);
    if (!rule) throw new Error(`unknown rule ${task.ruleId}`);
    return { ruleId: task.ruleId, ...(await evaluateRule(rule, ctx, task.params)) };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    return { ruleId: task.ruleId, error: { message: e.message, stack: e.stack ?? '' } };
  }
}

parentPort!.postMessage({ ready: true });

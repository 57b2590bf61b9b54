import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/schema.js';
import { openMirror } from '../../src/mirror/data-source.js';
import { startSandbox, type SandboxServer } from '../../src/sandbox/index.js';
import type { SyncSummary } from '../../src/sync/engine.js';
import { ALL_TABLES } from '../../src/mirror/tables.js';
import { createLogger, setLogger } from '../../src/platform/logger.js';
import { sandboxConfig, syncSandboxSchool } from '../helpers/sandbox-sync.js';
import { verifySandboxMirror } from './fault-school.js';
import { recordFigure } from './figures.js';
import { HOSTILE_CASES, type HostileCase } from './hostile-cases.js';
import { startHostileProxy, type HostileProxy } from './hostile-proxy.js';

/**
 * The hostile-reply table (`hostile-cases.ts`) against a real sync: a mirror equal to the
 * platform, a full sync through the proxy with one case armed, then `verifyMirror` (straight to
 * the platform): still equal, nothing lost. A case the run does not absorb must say so (status,
 * held-back deletions or quarantine) and a clean rerun must bring the mirror back to equal.
 */

/**
 * A mirror's live rows as `stream:id` → content hash. The platform does not change during the
 * suite and the baseline mirror was verified equal to it (`verifyMirror`), so a case's mirror
 * equals the platform exactly when it equals the baseline: a cheap comparison per case.
 */
async function liveRows(dbPath: string): Promise<Map<string, string>> {
  const mirror = await openMirror({ type: 'sqlite', path: dbPath, schema: 'public' });
  try {
    const out = new Map<string, string>();
    for (const spec of ALL_TABLES) {
      const rows = await mirror.db.query<{ id: string; content_hash: string }>(
        `SELECT id, content_hash FROM ${spec.table} WHERE deleted_at IS NULL`,
      );
      for (const r of rows) out.set(`${spec.stream}:${r.id}`, r.content_hash);
    }
    return out;
  } finally {
    await mirror.close();
  }
}

interface RowDiff {
  /** Rows of the platform no longer live in the mirror. */
  lost: string[];
  /** Rows added or changed. */
  wrong: string[];
}

function diff(expected: Map<string, string>, actual: Map<string, string>): RowDiff {
  const lost = [...expected.keys()].filter((k) => !actual.has(k));
  const wrong = [...actual].filter(([k, h]) => expected.get(k) !== h).map(([k]) => k);
  return { lost, wrong };
}

/** The run told its user it did not take the reply as the truth. */
function signalled(s: SyncSummary): boolean {
  const quarantined = s.streams.reduce((n, st) => n + st.quarantined, 0);
  return s.status !== 'succeeded' || s.refusals.length > 0 || quarantined > 0;
}

describe('hostile platform replies', () => {
  let sb: SandboxServer;
  let proxy: HostileProxy;
  let dir: string;
  let baseline: string;
  let schoolId: string;
  let direct: Config;
  let hostile: Config;
  let expected: Map<string, string>;
  const outcomes = { handled: 0, held: 0, failed: 0, lostRows: 0 };

  const verify = (dbPath: string) => verifySandboxMirror(sb, dbPath, direct);

  const sync = async (dbPath: string, config: Config): Promise<SyncSummary> => {
    const mirror = await openMirror({ type: 'sqlite', path: dbPath, schema: 'public' });
    try {
      return await syncSandboxSchool(mirror.db, config, sb.clock, schoolId, { full: true });
    } catch (err) {
      // A run whose school scope could not be read throws, with its summary attached.
      const summary = (err as { summary?: SyncSummary }).summary;
      if (summary) return summary;
      throw err;
    } finally {
      await mirror.close();
    }
  };

  beforeAll(async () => {
    // The connector's retry warnings are the point of the cases, not news: keep the output to the figures.
    setLogger(createLogger({ level: 'silent' }));
    sb = await startSandbox({ size: 'small', seed: 2323 });
    schoolId = sb.schools[0]!.id;
    proxy = await startHostileProxy(sb.url);
    // The sandbox is local: the fastest rate the config allows (the connector checks its own
    // settings, so a value past the schema's limit set after parsing is refused like a user's).
    const fast = { requestsPerSecond: 100, concurrency: 8 };
    direct = sandboxConfig(sb);
    Object.assign(direct.platform, fast);
    // Few, fast retries and a short timeout: a case costs seconds, not minutes.
    hostile = sandboxConfig(
      { url: proxy.url, schools: sb.schools },
      { jobs: { backoffMs: 20, attempts: 2, afterSync: [] } },
    );
    Object.assign(hostile.platform, fast, { maxRetries: 2 });
    hostile.platform.timeoutMs = 4_000;
    dir = mkdtempSync(join(tmpdir(), 'ezh-hostile-'));
    baseline = join(dir, 'baseline.sqlite');
    const first = await sync(baseline, direct);
    expect(first.status).toBe('succeeded');
    const c = await verify(baseline);
    expect(c.equal).toBe(true);
    expected = await liveRows(baseline);
  });

  afterAll(async () => {
    const done = outcomes.handled + outcomes.held;
    const ran = done + outcomes.failed;
    recordFigure('hostile cases refused or handled', done, ran);
    recordFigure('  of which handled (retried, run succeeded)', outcomes.handled, null);
    recordFigure(
      '  of which held (run failed cleanly / held back; rerun fixed)',
      outcomes.held,
      null,
    );
    recordFigure('rows lost to hostile replies', outcomes.lostRows, null);
    await proxy?.close();
    await sb?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const run = async (c: HostileCase) => {
    const file = join(dir, `${HOSTILE_CASES.indexOf(c)}.sqlite`);
    copyFileSync(baseline, file);
    proxy.arm(c);
    let summary: SyncSummary;
    let served: number;
    try {
      summary = await sync(file, hostile);
    } finally {
      served = proxy.served();
      proxy.arm(null);
    }
    const after = diff(expected, await liveRows(file));
    outcomes.lostRows += after.lost.length;
    let passed = false;
    try {
      expect(
        served,
        'the case reply was never served: its path matches no request',
      ).toBeGreaterThan(0);
      expect(after.lost, 'rows lost').toEqual([]);
      expect(after.wrong, 'rows changed or added by a hostile reply').toEqual([]);
      if (c.expect === 'handled') {
        expect(summary.status, summary.error ?? '').toBe('succeeded');
      } else {
        expect(signalled(summary), `the run took the reply silently: ${summary.status}`).toBe(true);
        const rerun = await sync(file, direct);
        expect(rerun.status, rerun.error ?? '').toBe('succeeded');
        expect(diff(expected, await liveRows(file))).toEqual({ lost: [], wrong: [] });
      }
      passed = true;
    } finally {
      if (passed) outcomes[c.expect]++;
      else outcomes.failed++;
      rmSync(file, { force: true });
    }
  };

  for (const c of HOSTILE_CASES) {
    it(`${c.name}: ${c.expect}, nothing lost`, { timeout: 120_000 }, () => run(c));
  }
});

import cliProgress from 'cli-progress';
import type { Logger } from '../platform/logger.js';
import type { SyncObserver } from './deps.js';

/**
 * Progress of a sync: a bar on a terminal (stderr, so stdout stays clean), log lines otherwise.
 * One bar for the run; the current class and stream ride along in the bar's text.
 */
export function progressObserver(
  mode: 'auto' | 'bar' | 'log' | 'off',
  logger: Logger,
  classNames: ReadonlyMap<string, string> = new Map(),
): SyncObserver & { stop(): void } {
  const useBar = mode === 'bar' || (mode === 'auto' && Boolean(process.stderr.isTTY));
  if (mode === 'off') return { stop: () => undefined };
  let total = 0;
  let done = 0;
  const label = (classId: string | null, streams: readonly string[]) =>
    `${classId ? (classNames.get(classId) ?? classId) : 'school'} ${streams.join('+')}`;
  if (!useBar) {
    return {
      planned: (_run, scopes) => {
        total = scopes.length;
      },
      scopeDone: (_run, o) => {
        done++;
        if (o.skipped) return;
        logger.info(
          { scope: o.scope.key, progress: `${done}/${total || '?'}`, unchanged: o.unchanged },
          `synced ${label(o.scope.classId, o.scope.streams)} ${o.scope.from ?? ''}${o.scope.to ? `..${o.scope.to}` : ''}`,
        );
      },
      scopeFailed: (_run, scope, err) => {
        done++;
        logger.warn({ scope: scope.key, err }, `failed ${label(scope.classId, scope.streams)}`);
      },
      stop: () => undefined,
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: 'sync [{bar}] {value}/{total} {what}',
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    planned: (_run, scopes) => {
      total = scopes.length;
      if (!started) bar.start(total, done, { what: '' });
      else bar.setTotal(total);
      started = true;
    },
    scopeDone: (_run, o) => {
      done++;
      if (!started) return;
      bar.update(done, {
        what: `${label(o.scope.classId, o.scope.streams)} ${o.scope.from ?? ''}`,
      });
    },
    scopeFailed: (_run, scope) => {
      done++;
      if (started) bar.update(done, { what: `failed: ${label(scope.classId, scope.streams)}` });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

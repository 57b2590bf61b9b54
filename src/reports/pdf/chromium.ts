import { accessSync, constants } from 'node:fs';
import { EnvironmentError } from '../../platform/errors.js';
import { killProcessesWithArgument } from '../../platform/processes.js';
import { makeTempDir, type TempDir } from '../../platform/temp-dirs.js';

/** Where Chromium is and how it is started. Never downloaded: the system's (Debian) Chromium is used. */

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

export function resolveChromiumPath(
  configured?: string,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const candidates: [string, string][] = [];
  if (configured) candidates.push([configured, 'config reports.chromiumPath']);
  else if (env.PUPPETEER_EXECUTABLE_PATH) {
    candidates.push([env.PUPPETEER_EXECUTABLE_PATH, 'PUPPETEER_EXECUTABLE_PATH']);
  } else candidates.push([DEFAULT_CHROMIUM, 'default']);
  const [path, from] = candidates[0]!;
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new EnvironmentError(
      `Chromium not found at ${path} (${from}). Install it (Debian: apt-get install chromium) ` +
        'or set reports.chromiumPath / PUPPETEER_EXECUTABLE_PATH.',
    );
  }
  return path;
}

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
  // Per document (each opens a browser context of its own, a new window in headless Chromium):
  // - a spare renderer process kept warm for the default context, which no document can use;
  // - the WebUI omnibox popup, a renderer loading ~1,000 chrome:// modules for every new window
  //   (Chromium 156): more CPU than printing a 40-page journal.
  // puppeteer merges this list with its own --disable-features.
  '--disable-features=SpareRendererForSitePerProcess,WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup',
];

/** A fresh profile directory per browser launch (0700; removed at exit, swept after a kill). */
export function freshProfileDir(): TempDir {
  return makeTempDir('chromium');
}

export function chromiumArgs(profileDir: string): string[] {
  return [...CHROMIUM_FLAGS, profileArg(profileDir)];
}

/**
 * Kills every Chromium process that runs with this profile folder, with its process group
 * (renderers, GPU and utility processes): what is left of a browser at exit or on a signal,
 * including one still starting (the pid is known only once puppeteer's launch resolves).
 */
export function killBrowsersOf(profileDir: string): void {
  killProcessesWithArgument(profileArg(profileDir));
}

export const profileArg = (profileDir: string): string => `--user-data-dir=${profileDir}`;

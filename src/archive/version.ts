import { readFileSync } from 'node:fs';

/** ezh's version from package.json (two levels up from both `src/archive` and `dist/archive`). */
export function ezhVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version?: string;
  };
  return pkg.version ?? 'unknown';
}

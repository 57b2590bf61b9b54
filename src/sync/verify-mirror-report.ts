import { formatTable } from '../mirror/stats.js';
import type { MirrorComparison, StreamComparison } from './verify-mirror.js';

/**
 * The text of a mirror comparison: one table row per stream, then the differing ids (ids only:
 * the output may be pasted into a ticket), then one verdict line that starts with EQUAL or
 * DIFFERENT. Shared by `ezh verify-mirror` and `ezh demo`.
 */

/** Ids listed per stream and kind before "… and N more". */
const MAX_IDS = 10;

export function comparisonTable(c: MirrorComparison): string {
  return formatTable(
    ['stream', 'platform', 'mirror', 'missing', 'extra', 'different', 'quarantined'],
    c.streams.map((s) => [
      s.stream,
      s.platform,
      s.mirror,
      s.missing.length,
      s.extra.length,
      s.different.length,
      s.quarantined.length,
    ]),
  );
}

export function comparisonDetails(c: MirrorComparison): string[] {
  const lines: string[] = [];
  const list = (s: StreamComparison, what: string, ids: string[]) => {
    if (ids.length === 0) return;
    const shown = ids.slice(0, MAX_IDS).join(', ');
    const more = ids.length > MAX_IDS ? ` … and ${ids.length - MAX_IDS} more` : '';
    lines.push(`  ${s.stream} ${what} (${ids.length}): ${shown}${more}`);
  };
  for (const s of c.streams) {
    list(s, 'missing from the mirror', s.missing);
    list(s, 'in the mirror, not on the platform', s.extra);
    list(s, 'different', s.different);
  }
  return lines;
}

export function comparisonVerdict(c: MirrorComparison): string {
  const sum = (pick: (s: StreamComparison) => number) => c.streams.reduce((n, s) => n + pick(s), 0);
  const where = `school ${c.schoolId}, year ${c.year.start}..${c.year.end}`;
  if (c.equal) {
    return `EQUAL: the mirror equals the platform (${where}: ${c.streams.length} streams, ${sum((s) => s.platform)} records, ${c.requests} requests)`;
  }
  return `DIFFERENT: ${sum((s) => s.missing.length)} missing, ${sum((s) => s.extra.length)} extra, ${sum((s) => s.different.length)} different (${where}); \`ezh sync --full\` reads the whole year again`;
}

export function formatComparison(c: MirrorComparison): string {
  return [comparisonTable(c), ...comparisonDetails(c), comparisonVerdict(c)].join('\n');
}

import type { SchoolConfig } from '../config/schema.js';
import type { SqlExecutor } from '../mirror/sql.js';
import { UsageError } from '../platform/errors.js';
import { parseZone } from '../platform/time.js';
import type { CheckSchool } from './engine.js';

const DEFAULT_ZONE = 'Europe/Moscow';

/** `zone` when luxon knows it (IANA name or fixed offset), else `fallback`. */
function knownZoneOr(zone: string | null | undefined, fallback: string): string {
  if (!zone) return fallback;
  try {
    return parseZone(zone);
  } catch {
    return fallback;
  }
}

/**
 * The schools a check covers: those of the config, else every school in the mirror (zone from
 * the mirror when luxon knows it: an IANA name, or the platform's fixed offset such as `UTC+3`;
 * else Moscow). `only` narrows to one id (`--school`).
 */
export async function schoolsToCheck(
  db: SqlExecutor,
  configured: readonly SchoolConfig[],
  only?: string,
): Promise<CheckSchool[]> {
  let schools: CheckSchool[];
  if (configured.length > 0) {
    schools = configured.map((s) => ({
      id: s.id,
      timeZone: knownZoneOr(s.timeZone, DEFAULT_ZONE),
      finalMarkDeadlines: s.finalMarkDeadlines,
      exemptions: s.exemptions,
    }));
  } else {
    const rows = await db.query<{ id: string; time_zone: string | null }>(
      `SELECT id, time_zone FROM schools WHERE deleted_at IS NULL ORDER BY id`,
    );
    schools = rows.map((r) => ({ id: r.id, timeZone: knownZoneOr(r.time_zone, DEFAULT_ZONE) }));
  }
  if (only === undefined) return schools;
  const match = schools.filter((s) => s.id === only);
  if (match.length === 0) {
    throw new UsageError(`unknown school "${only}"`, [
      `schools: ${schools.map((s) => s.id).join(', ') || '(none configured or mirrored)'}`,
    ]);
  }
  return match;
}

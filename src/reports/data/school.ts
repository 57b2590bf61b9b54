import type { Config } from '../../config/schema.js';
import type { SqlExecutor } from '../../mirror/sql.js';
import { UsageError } from '../../platform/errors.js';

/** The school a document is about: its mirrored name, its zone and the signatories from config. */
export interface SchoolInfo {
  id: string;
  name: string;
  zone: string;
  director: string | null;
  deputyDirector: string | null;
}

type SchoolRow = {
  id: string;
  name: string;
  full_name: string | null;
  time_zone: string | null;
};

/** `schoolId`, else the first configured school, else the only school of the mirror. */
export async function resolveSchool(db: SqlExecutor, config: Config, schoolId?: string): Promise<SchoolInfo> {
  const wanted = schoolId ?? config.schools[0]?.id;
  const rows = await db.query<SchoolRow>(
    wanted
      ? 'SELECT id, name, full_name, time_zone FROM schools WHERE deleted_at IS NULL AND id = ?'
      : 'SELECT id, name, full_name, time_zone FROM schools WHERE deleted_at IS NULL ORDER BY id',
    wanted ? [wanted] : [],
  );
  const row = rows[0];
  if (!row) {
    throw new UsageError(wanted ? `school ${wanted} is not in the mirror` : 'the mirror holds no school: run `ezh sync` first');
  }
  if (!wanted && rows.length > 1) {
    throw new UsageError('the mirror holds several schools: pass --school ID', rows.map((r) => `${r.id} ${r.name}`));
  }
  const cfg = config.schools.find((s) => s.id === row.id);
  return {
    id: row.id,
    name: row.full_name ?? row.name,
    zone: cfg?.timeZone ?? row.time_zone ?? 'Europe/Moscow',
    director: cfg?.director ?? null,
    deputyDirector: cfg?.deputyDirector ?? null,
  };
}

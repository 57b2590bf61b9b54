import type { Config } from '../../config/schema.js';
import { loadSchoolContexts } from '../../mirror/school-context.js';
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

/**
 * The school a document is about (its SchoolContext): `schoolId`, else the only school of the
 * config (or of the mirror when the config lists none). Several and no `schoolId`: exit 2 listing
 * them. Its name comes from the mirror, so it must have been synced.
 */
export async function resolveSchool(db: SqlExecutor, config: Pick<Config, 'schools'>, schoolId?: string): Promise<SchoolInfo> {
  const school = (await loadSchoolContexts(db, config)).pick(schoolId);
  if (school.name === null) {
    throw new UsageError(`school ${school.id} is not in the mirror: run \`ezh sync\` first`);
  }
  return {
    id: school.id,
    name: school.name,
    zone: school.zone,
    director: school.director,
    deputyDirector: school.deputyDirector,
  };
}

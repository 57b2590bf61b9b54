/** Column types the mirror uses (SQLite and PostgreSQL spellings alike). */
export type ColumnType = 'text' | 'integer' | 'bigint' | 'double precision';

/** A plain table definition, used both to build TypeORM entity schemas and (frozen) in migrations. */
export interface TableDef {
  name: string;
  columns: { name: string; type: ColumnType; nullable: boolean; generated?: boolean }[];
  primary: string[];
  indexes: string[][];
  /** Indexes over the rows matching `where` only (same SQL on SQLite and PostgreSQL). */
  partialIndexes?: PartialIndexDef[];
  /**
   * Indexes on PostgreSQL only (a municipality's mirror holds many schools; SQLite holds one, and
   * without table statistics it would prefer them to the class's index: migration 0028).
   */
  postgresIndexes?: string[][];
  /** Partial indexes on PostgreSQL only, for the same reason (migration 0029). */
  postgresPartialIndexes?: PartialIndexDef[];
}

export interface PartialIndexDef {
  name: string;
  columns: string[];
  where: string;
}

import type { ColumnType } from './tables.js';

/** A plain table definition, used both to build TypeORM entity schemas and (frozen) in migrations. */
export interface TableDef {
  name: string;
  columns: { name: string; type: ColumnType; nullable: boolean; generated?: boolean }[];
  primary: string[];
  indexes: string[][];
}

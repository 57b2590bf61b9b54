import { Table, TableIndex, type QueryRunner } from 'typeorm';
import type { TableDef } from '../table-def.js';

/** Index names are explicit so that entities and migrations agree on both engines. */
export function indexName(table: string, columns: string[]): string {
  return `idx_${table}_${columns.join('_')}`;
}

/** Creates a table from a frozen definition with TypeORM's dialect-neutral Table API. */
export async function createTableFromDef(qr: QueryRunner, def: TableDef): Promise<void> {
  await qr.createTable(
    new Table({
      name: def.name,
      columns: def.columns.map((col) => ({
        name: col.name,
        type: col.type,
        isNullable: col.nullable,
        isPrimary: def.primary.includes(col.name),
        ...(col.generated ? { isGenerated: true, generationStrategy: 'increment' as const } : {}),
      })),
      indices: def.indexes.map(
        (columns) => new TableIndex({ name: indexName(def.name, columns), columnNames: columns }),
      ),
    }),
    true,
  );
}

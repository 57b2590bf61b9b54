import { EntitySchema } from 'typeorm';
import { currentTableDefs } from './bookkeeping-tables.js';
import { indexName } from './migrations/create-table.js';
import type { TableDef } from './table-def.js';

/**
 * TypeORM entity schemas, built from the same table definitions as the upsert path (no
 * decorators: the test runner does not emit decorator metadata). Reads that are not on a hot
 * path (status, reports' small lookups) may use them through the query builder; a test checks
 * that they agree with the migrations on both engines.
 */
export function entitySchemaFor(def: TableDef): EntitySchema {
  return new EntitySchema({
    name: def.name,
    tableName: def.name,
    columns: Object.fromEntries(
      def.columns.map((col) => [
        col.name,
        {
          type: col.type,
          nullable: col.nullable,
          primary: def.primary.includes(col.name),
          ...(col.generated ? { generated: 'increment' as const } : {}),
        },
      ]),
    ),
    indices: [
      ...def.indexes.map((columns) => ({ name: indexName(def.name, columns), columns })),
      ...(def.partialIndexes ?? []),
      // Made by migrations 0028 and 0029 on PostgreSQL only: neither created nor dropped by a
      // schema comparison (the schema check must pass on both engines).
      ...(def.postgresIndexes ?? []).map((columns) => ({
        name: indexName(def.name, columns),
        columns,
        synchronize: false,
      })),
      ...(def.postgresPartialIndexes ?? []).map((ix) => ({ ...ix, synchronize: false })),
    ],
  });
}

export const ENTITIES: EntitySchema[] = currentTableDefs().map(entitySchemaFor);

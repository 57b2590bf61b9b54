import { z } from 'zod';
import { serviceUrl } from '../fields.js';

export const databaseSection = z
  .strictObject({
    /** `sqlite` (embedded default) or `postgres` (service mode). */
    type: z.enum(['sqlite', 'postgres']).default('sqlite'),
    /** SQLite file; created with mode 0600. */
    path: z.string().min(1).default('./data/ezh.sqlite'),
    /** PostgreSQL connection URL (`postgres://user@host:5432/db`); secret, from EZH_DATABASE_URL. */
    url: serviceUrl(['postgres', 'postgresql']).optional(),
    /** PostgreSQL schema holding ezh's tables. */
    schema: z
      .string()
      .regex(/^[a-z_][a-z0-9_]*$/, 'must be a lower-case SQL identifier')
      .default('public'),
  })
  .prefault({})
  .superRefine((db, ctx) => {
    if (db.type === 'postgres' && !db.url) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'is required when type is postgres' });
    }
  });

// The SQL fragment builder belongs to the mirror (its projections build SQL too); the rules keep
// importing it from here.
export * from '../mirror/sql-fragment.js';

import { Initial1763900000001 } from './0001-initial.js';

/**
 * Every migration, oldest first. A capability that needs tables adds its own migration file and
 * one line here; migrations are never edited once landed.
 */
export const MIGRATIONS = [Initial1763900000001];

// Its own file so that rule.ts can name it without importing data-time.ts (no import cycle).
export interface MirrorCoverage {
  /** When the first sync of the school that wrote anything started; null: none. */
  firstSyncAt: number | null;
  /** When its last successful sync finished; null: never synced successfully. */
  lastSyncedAt: number | null;
}

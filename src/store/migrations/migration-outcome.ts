/** Shared between a migration run and the SQLite migration lock: did any migration fail? */
export interface MigrationOutcome {
  failed: boolean;
}

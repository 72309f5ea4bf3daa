import type { Database } from 'better-sqlite3';

/**
 * What MR series roles need (hanging protocols, domain reference b.5): Protocol Name on the series;
 * Temporal Position Identifier, Number of Temporal Positions, Trigger Time, Contrast/Bolus Agent,
 * Diffusion b-value, Scanning Sequence and Sequence Name on the instance.
 *
 * NULL in `series.protocol_name` and `instances.scanning_sequence` means "not indexed" (a row from
 * before this migration), not "absent": rows indexed from now on hold '' for an absent text value.
 * The hanging service re-reads such rows' headers from the store once (see hanging/backfill.ts).
 */
export function migrate0060(db: Database): void {
  db.exec(`
    ALTER TABLE series ADD COLUMN protocol_name TEXT;
    ALTER TABLE instances ADD COLUMN temporal_position_identifier INTEGER;
    ALTER TABLE instances ADD COLUMN number_of_temporal_positions INTEGER;
    ALTER TABLE instances ADD COLUMN trigger_time REAL;
    ALTER TABLE instances ADD COLUMN contrast_bolus_agent TEXT;
    ALTER TABLE instances ADD COLUMN diffusion_b_value REAL;
    ALTER TABLE instances ADD COLUMN scanning_sequence TEXT;
    ALTER TABLE instances ADD COLUMN sequence_name TEXT;
  `);
}

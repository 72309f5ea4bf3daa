import type { Database } from 'better-sqlite3';
import { readAttributes } from '../import/attributes.ts';
import { readDicomHeader } from '../import/dicom-header.ts';
import { mrAttributes } from '../library/index-writer.ts';
import type { ObjectStore } from '../store/object-store.ts';

export interface BackfillReport {
  /** Instances whose MR values were read from the store now. */
  filled: number;
  /** Instances whose stored file could not be read, with why; left "not indexed". */
  failed: { sopInstanceUid: string; reason: string }[];
}

interface PendingRow {
  id: number;
  seriesId: number;
  sopInstanceUid: string;
  storeKey: string;
}

/**
 * Fills the MR columns of migration 0060 for instances indexed before it, from their stored files
 * (the import's own header reader), once: a filled row is never read again.
 */
export function backfillMrAttributes(db: Database, store: ObjectStore, studyIds: readonly number[]): BackfillReport {
  const report: BackfillReport = { filled: 0, failed: [] };
  const pending = db.prepare(`SELECT i.id, se.id AS seriesId, i.sop_instance_uid AS sopInstanceUid, i.store_key AS storeKey
    FROM series se JOIN instances i ON i.series_ref = se.id
    WHERE se.study_ref = ? AND (i.scanning_sequence IS NULL OR se.protocol_name IS NULL)`);
  const updateInstance = db.prepare(`UPDATE instances SET temporal_position_identifier = @temporalPositionIdentifier,
      number_of_temporal_positions = @numberOfTemporalPositions, trigger_time = @triggerTime,
      contrast_bolus_agent = @contrastBolusAgent, diffusion_b_value = @diffusionBValue,
      scanning_sequence = @scanningSequence, sequence_name = @sequenceName
    WHERE id = @id`);
  const updateSeries = db.prepare('UPDATE series SET protocol_name = @protocolName WHERE id = @id AND protocol_name IS NULL');
  const head = Buffer.allocUnsafe(64 * 1024);
  for (const studyId of studyIds) {
    const rows = pending.all(studyId) as PendingRow[];
    if (rows.length === 0) {
      continue;
    }
    // Read every file first, write in one transaction: a crash leaves the rows as they were.
    const reads: { row: PendingRow; values: ReturnType<typeof mrAttributes> }[] = [];
    for (const row of rows) {
      const result = readDicomHeader(store.objectPath(row.storeKey), head);
      if (!result.ok) {
        report.failed.push({ sopInstanceUid: row.sopInstanceUid, reason: result.reason });
        continue;
      }
      try {
        reads.push({ row, values: mrAttributes(readAttributes(result.header)) });
      } finally {
        result.source.close();
      }
    }
    db.transaction(() => {
      for (const { row, values } of reads) {
        updateInstance.run({ ...values, id: row.id });
        updateSeries.run({ protocolName: values.protocolName ?? '', id: row.seriesId });
      }
    })();
    report.filled += reads.length;
  }
  return report;
}

import type { Database } from 'better-sqlite3';
import { CHEST_WALL_METHOD, inferChestWallSide } from '../../../shared/hanging/chest-wall.ts';
import type { ChestWallInput } from '../../../shared/hanging/chest-wall.ts';
import { identifyMammo } from '../../../shared/hanging/mammo-identify.ts';
import type { HangingInstance, PixelHint } from '../../../shared/hanging/model.ts';
import { storedInstance } from '../library/studies.ts';
import { deliverableBytes } from '../store/delivery.ts';
import type { ObjectStore } from '../store/object-store.ts';
import { decodeFirstFrame } from './frame-decoder.ts';
import type { GreyFrame } from './frame-decoder.ts';

/** About this many columns are analysed: the chest-wall bands need no more. */
const ANALYSIS_WIDTH = 256;

/**
 * Every single-frame breast image as the engine identifies one (MG, DX/CR of the breast, digitised
 * film): its pixels decide which edge is the chest wall where Patient Orientation is missing, and
 * check the header where it is present (a header can be wrong).
 */
export function needsPixelHint(instance: HangingInstance): boolean {
  return instance.numberOfFrames === 1 && identifyMammo(instance).breastImage;
}

/** Box-averages a frame to about ANALYSIS_WIDTH columns, keeping its aspect. */
export function downsampled(frame: GreyFrame, width = ANALYSIS_WIDTH): ChestWallInput {
  const step = Math.max(1, Math.floor(frame.columns / width));
  const columns = Math.floor(frame.columns / step);
  const rows = Math.floor(frame.rows / step);
  const values = new Float64Array(rows * columns);
  for (let row = 0; row < rows; row += 1) {
    for (let column = 0; column < columns; column += 1) {
      let sum = 0;
      for (let dy = 0; dy < step; dy += 1) {
        const offset = (row * step + dy) * frame.columns + column * step;
        for (let dx = 0; dx < step; dx += 1) {
          sum += Number(frame.values[offset + dx]);
        }
      }
      values[row * columns + column] = sum / (step * step);
    }
  }
  return { rows, columns, values, invert: frame.invert };
}

export interface HintOutcome {
  hint: PixelHint | null;
  /** Why there is no hint when the pixels could not be analysed. */
  reason: string | null;
}

/** Decodes the stored image's first frame and finds its chest-wall side. */
export async function computePixelHint(bytes: Uint8Array): Promise<HintOutcome> {
  const decoded = await decodeFirstFrame(bytes);
  if (!decoded.ok) {
    return { hint: null, reason: decoded.reason };
  }
  const { values } = decoded.frame;
  const first = Number(values[0]);
  let blank = true;
  for (let i = 1; i < values.length && blank; i += 1) {
    blank = Number(values[i]) === first;
  }
  if (blank) {
    // Seen with a JPEG Lossless stream that the bundled decoder returns as all zeros.
    return { hint: null, reason: 'the decoded frame is blank (every pixel the same): nothing to analyse' };
  }
  return { hint: inferChestWallSide(downsampled(decoded.frame)), reason: null };
}

interface HintRow {
  uid: string;
  side: 'left' | 'right' | null;
  confidence: number;
  method: string;
  reason: string | null;
}

/** The cached hints of this analysis method for these instances. */
function cachedHints(db: Database, uids: readonly string[]): Map<string, HintOutcome> {
  const select = db.prepare(`SELECT sop_instance_uid AS uid, chest_wall_side AS side, confidence, method, reason
    FROM pixel_hints WHERE sop_instance_uid = ? AND method = ?`);
  const found = new Map<string, HintOutcome>();
  for (const uid of uids) {
    const row = select.get(uid, CHEST_WALL_METHOD) as HintRow | undefined;
    if (row) {
      found.set(uid, {
        hint: row.reason === null ? { chestWallSide: row.side, confidence: row.confidence, method: row.method } : null,
        reason: row.reason,
      });
    }
  }
  return found;
}

function storeHint(db: Database, uid: string, outcome: HintOutcome): void {
  db.prepare(`INSERT INTO pixel_hints (sop_instance_uid, chest_wall_side, confidence, method, reason, computed_at)
      VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (sop_instance_uid) DO UPDATE SET chest_wall_side = excluded.chest_wall_side, confidence = excluded.confidence,
        method = excluded.method, reason = excluded.reason, computed_at = excluded.computed_at`)
    .run(uid, outcome.hint?.chestWallSide ?? null, outcome.hint?.confidence ?? 0, CHEST_WALL_METHOD, outcome.reason, new Date().toISOString());
}

export interface HintReport {
  computed: number;
  cached: number;
  /** Instances whose pixels could not be analysed, with why. */
  unanalysed: { sopInstanceUid: string; reason: string }[];
}

/**
 * Gives every instance that needs one its pixel hint: from the library's cache when this analysis
 * already ran on it, else computed from the stored file and cached (failures too, with the reason,
 * so an image no decoder reads is not decoded again on every hanging).
 */
export async function attachPixelHints(db: Database, store: ObjectStore, instances: HangingInstance[]): Promise<HintReport> {
  const wanting = instances.filter(needsPixelHint);
  const cached = cachedHints(db, wanting.map((i) => i.sopInstanceUid));
  const report: HintReport = { computed: 0, cached: 0, unanalysed: [] };
  for (const instance of wanting) {
    let outcome = cached.get(instance.sopInstanceUid);
    if (outcome) {
      report.cached += 1;
    } else {
      const stored = storedInstance(db, instance.sopInstanceUid);
      if (!stored) {
        continue;
      }
      outcome = await computePixelHint(deliverableBytes(store.objectPath(stored.key), stored.transferSyntaxUid, stored.quirked));
      storeHint(db, instance.sopInstanceUid, outcome);
      report.computed += 1;
    }
    instance.pixelHint = outcome.hint;
    if (outcome.reason !== null) {
      report.unanalysed.push({ sopInstanceUid: instance.sopInstanceUid, reason: outcome.reason });
    }
  }
  return report;
}

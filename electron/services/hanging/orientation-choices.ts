import type { Database } from 'better-sqlite3';
import { CHEST_WALL_METHOD } from '../../../shared/hanging/chest-wall.ts';
import type { HangingInstance } from '../../../shared/hanging/model.ts';
import type { StoredSide } from '../../../shared/hanging/mammo-orientation.ts';
import { recordAudit } from '../reports/audit.ts';
import type { Actor } from '../reports/audit.ts';

/**
 * The reader's orientation choices (migration 0090): where a mammogram's header and pixels disagree,
 * she looks at the marker and flips or keeps the image; what she chose is the stored edge that is the
 * chest wall, kept per instance and audited, so the image hangs her way from then on, in every stage.
 */
export class OrientationChoiceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OrientationChoiceError';
  }
}

export interface OrientationChoice {
  sopInstanceUid: string;
  chestWallSide: StoredSide;
  chosenAt: string;
}

/** Gives each instance the choice kept for it, if any. */
export function attachOrientationChoices(db: Database, instances: HangingInstance[]): void {
  const select = db.prepare('SELECT chest_wall_side AS side FROM orientation_choices WHERE sop_instance_uid = ?');
  for (const instance of instances) {
    const row = select.get(instance.sopInstanceUid) as { side: StoredSide } | undefined;
    instance.orientationChoice = row ? { chestWallSide: row.side } : null;
  }
}

interface InstanceFacts {
  patientOrientation: string;
  imageLaterality: string;
  viewPosition: string;
  imageSide: StoredSide | null;
}

/**
 * Keeps the reader's choice for one image and records it in the audit trail, in one transaction:
 * what she clicked (flip or keep), the chest-wall edge that follows, what header and pixels said.
 */
export function chooseOrientation(
  db: Database,
  request: { sopInstanceUid: string; chestWallSide: StoredSide; choice: 'flip' | 'keep' },
  actor: Actor,
  at = new Date().toISOString(),
): OrientationChoice {
  return db.transaction((): OrientationChoice => {
    const facts = db
      .prepare(`SELECT i.patient_orientation AS patientOrientation, i.image_laterality AS imageLaterality, i.view_position AS viewPosition,
          h.chest_wall_side AS imageSide
        FROM instances i LEFT JOIN pixel_hints h ON h.sop_instance_uid = i.sop_instance_uid AND h.method = ?
        WHERE i.sop_instance_uid = ?`)
      .get(CHEST_WALL_METHOD, request.sopInstanceUid) as InstanceFacts | undefined;
    if (!facts) {
      throw new OrientationChoiceError(`No image ${request.sopInstanceUid} in the library`);
    }
    const before = db.prepare('SELECT chest_wall_side AS side FROM orientation_choices WHERE sop_instance_uid = ?').get(request.sopInstanceUid) as
      | { side: StoredSide }
      | undefined;
    db.prepare(`INSERT INTO orientation_choices (sop_instance_uid, chest_wall_side, header_orientation, image_side, os_user, chosen_at)
        VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (sop_instance_uid) DO UPDATE SET chest_wall_side = excluded.chest_wall_side, header_orientation = excluded.header_orientation,
          image_side = excluded.image_side, os_user = excluded.os_user, chosen_at = excluded.chosen_at`)
      .run(request.sopInstanceUid, request.chestWallSide, facts.patientOrientation, facts.imageSide, actor.osUser, at);
    const label = `${facts.imageLaterality || '?'}${facts.viewPosition || '?'}`;
    const header = facts.patientOrientation.trim() === '' ? 'no Patient Orientation' : `Patient Orientation ${facts.patientOrientation.slice(0, 32)}`;
    const detail = [
      `orientation of ${label} ${request.sopInstanceUid}: ${request.choice}`,
      `chest wall at the stored ${request.chestWallSide} edge`,
      `${header}, pixels ${facts.imageSide ? `chest wall at the ${facts.imageSide} edge` : 'unclear'}`,
      before ? `before: the reader's ${before.side} edge` : 'before: no choice',
    ].join('; ');
    recordAudit(db, null, 'orientation', actor, detail, at);
    return { sopInstanceUid: request.sopInstanceUid, chestWallSide: request.chestWallSide, chosenAt: at };
  })();
}

import type { Database } from 'better-sqlite3';

/**
 * Hanging protocols kept at this workstation.
 *
 * `hanging_protocols`: the reader's own protocols (level 'user'), in the reader's order (`position`),
 * each a JSON definition checked against the protocol schema when written and when read.
 * `hanging_preferences`: one row, the reader's hanging preferences as JSON (checked the same way).
 * `pixel_hints`: the chest-wall side found from an image's pixels when its Patient Orientation is
 * empty; `method` names the analysis, so a better one recomputes rather than trusting an old answer.
 */
export function migrate0070(db: Database): void {
  db.exec(`
    CREATE TABLE hanging_protocols (
      id TEXT PRIMARY KEY,
      position INTEGER NOT NULL,
      definition TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE INDEX hanging_protocols_by_position ON hanging_protocols (position, id);

    CREATE TABLE hanging_preferences (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      preferences TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );

    CREATE TABLE pixel_hints (
      sop_instance_uid TEXT PRIMARY KEY,
      chest_wall_side TEXT CHECK (chest_wall_side IN ('left', 'right')),
      confidence REAL NOT NULL,
      method TEXT NOT NULL,
      -- Why no side was found when the pixels could not be analysed (e.g. no decoder for the transfer syntax).
      reason TEXT,
      computed_at TEXT NOT NULL
    );
  `);
}

import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, openLibrary } from '../../electron/services/library/database.ts';
import { MIGRATIONS } from '../../electron/services/library/migrations/index.ts';
import { cleanupTempDirs, tempDir } from '../support/library.ts';

afterAll(cleanupTempDirs);

describe('migration 0030: import notes and ambiguous identity', () => {
  it('keeps the conflicts a library already holds, and accepts the new kind and no unknown one', () => {
    const root = tempDir();
    const db = new Database(join(root, 'concord.sqlite'));
    migrate(db, MIGRATIONS.filter((m) => m.version < 30));
    db.prepare(`INSERT INTO import_sessions (id, source_path, started_at, status) VALUES (1, '/media', '2026-01-01T00:00:00Z', 'completed')`).run();
    db.prepare(`INSERT INTO instance_conflicts (sop_instance_uid, conflict_kind, store_key, file_size, import_session_id, source_path,
      differences, recorded_at) VALUES ('1.2.3', 'study-of-other-patient', 'ab', 10, 1, 'IM0', 'other patient', '2026-01-01T00:00:00Z')`).run();
    db.close();

    const library = openLibrary(root);
    try {
      const rows = library.db.prepare('SELECT sop_instance_uid AS uid, conflict_kind AS kind, differences FROM instance_conflicts').all();
      expect(rows).toEqual([{ uid: '1.2.3', kind: 'study-of-other-patient', differences: 'other patient' }]);
      const insert = library.db.prepare(`INSERT INTO instance_conflicts (sop_instance_uid, conflict_kind, store_key, file_size,
        import_session_id, source_path, differences, recorded_at) VALUES ('1.2.4', ?, 'cd', 10, 1, 'IM1', 'x', '2026-01-01T00:00:00Z')`);
      expect(() => insert.run('ambiguous-identity')).not.toThrow();
      expect(() => insert.run('made-up-kind')).toThrow(/CHECK constraint/);
      const indexes = (library.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'instance_conflicts'").all() as { name: string }[]).map((r) => r.name);
      expect(indexes).toContain('instance_conflicts_by_store_key');
      expect(library.db.prepare("SELECT name FROM sqlite_master WHERE name = 'import_outcome_notes'").get()).toBeDefined();
    } finally {
      library.close();
    }
  });
});

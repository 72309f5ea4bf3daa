import { cpSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { runImport } from '../../electron/services/import/importer.ts';
import { LATEST_SCHEMA_VERSION, migrate, openLibrary, schemaVersion } from '../../electron/services/library/database.ts';
import { MIGRATIONS } from '../../electron/services/library/migrations/index.ts';
import { listAuditOf } from '../../electron/services/reports/audit.ts';
import { createWorkstation } from '../../electron/services/workstation/workstation.ts';
import type { ResolvedLayout } from '../../shared/hanging/layout.ts';
import { writeOrientationCases } from '../support/hanging-orientation-cases.ts';
import type { OrientationCase } from '../support/hanging-orientation-cases.ts';
import { cleanupTempDirs, tempDir } from '../support/library.ts';

afterAll(cleanupTempDirs);

const workerUnused = new URL('file:///no-import-worker-needed');

/** Imports one case's four images into a new library; returns the library root. */
async function libraryWith(fixtures: string, orientationCase: OrientationCase): Promise<string> {
  const media = tempDir();
  for (const file of orientationCase.files) {
    mkdirSync(dirname(join(media, file.path)), { recursive: true });
    cpSync(join(fixtures, file.path), join(media, file.path));
  }
  const root = tempDir();
  const summary = await runImport({ libraryRoot: root, source: media, inMemoryLimit: 0 });
  expect(summary.counts.imported).toBe(4);
  return root;
}

const byLabel = (layout: ResolvedLayout, label: string) => layout.slots.find((slot) => slot.label === label && slot.role === 'current');

describe('the reader\'s orientation choice where header and image disagree', () => {
  const fixtures = tempDir();
  const cases = writeOrientationCases(fixtures, 'orientation-choices');
  const contradicting = cases.find((c) => c.form === 'contradicting' && !c.mirrored) as OrientationCase;

  it('hangs as the pixels show with a warning in the stage status; a flip is kept in the library, audited, and hangs the image the other way', async () => {
    const root = await libraryWith(fixtures, contradicting);
    const study = contradicting.study.studyInstanceUid;
    const rmlo = contradicting.files.find((f) => f.laterality === 'R' && f.view === 'MLO');
    expect(rmlo?.patientOrientation).toBe('A\\FL');
    expect(rmlo?.chestWallSide).toBe('right');
    const workstation = createWorkstation(root, workerUnused);
    try {
      const before = (await workstation.getHanging({ studyInstanceUid: study })).layout;
      for (const label of ['RCC', 'LCC', 'RMLO', 'LMLO']) {
        const slot = byLabel(before, label);
        expect(slot?.orientation?.status, label).toBe('disagree');
        expect(slot?.warnings, label).toContain('header and image disagree: check the marker');
        // Stored as hung, the pixels put the chest wall at the seam already: no flip.
        expect(slot?.flipHorizontal, label).toBe(false);
      }
      expect(before.warnings).toContain('RCC, LCC, RMLO, LMLO: header and image disagree: check the marker (flip or keep it on each cell)');

      // The reader flips the right MLO: the header's chest wall (the stored left edge) goes to the seam.
      const chosen = await workstation.chooseOrientation({ sopInstanceUid: rmlo?.sopInstanceUid as string, chestWallSide: 'left', choice: 'flip' });
      expect(chosen).toMatchObject({ sopInstanceUid: rmlo?.sopInstanceUid, chestWallSide: 'left' });
      const after = (await workstation.getHanging({ studyInstanceUid: study })).layout;
      expect(byLabel(after, 'RMLO')).toMatchObject({ flipHorizontal: true, warnings: [] });
      expect(byLabel(after, 'RMLO')?.orientation).toMatchObject({ status: 'chosen', chosenChestWall: 'left', shownChestWall: 'left', imageChestWall: 'right', headerChestWall: 'left' });
      expect(after.warnings).toContain('RCC, LCC, LMLO: header and image disagree: check the marker (flip or keep it on each cell)');
      expect(after.warnings.filter((w) => w.includes('RMLO'))).toEqual([]);
      // Then keeps the left CC as it hangs.
      const lcc = contradicting.files.find((f) => f.laterality === 'L' && f.view === 'CC');
      await workstation.chooseOrientation({ sopInstanceUid: lcc?.sopInstanceUid as string, chestWallSide: 'left', choice: 'keep' });
      expect(byLabel((await workstation.getHanging({ studyInstanceUid: study })).layout, 'LCC')).toMatchObject({ flipHorizontal: false, warnings: [] });
      await expect(workstation.chooseOrientation({ sopInstanceUid: '1.2.3.4', chestWallSide: 'left', choice: 'keep' })).rejects.toMatchObject({ code: 'not-found' });
    } finally {
      await workstation.close();
    }

    // Kept in the library: another session hangs it the reader's way; the audit trail says who chose what.
    const again = createWorkstation(root, workerUnused);
    try {
      const layout = (await again.getHanging({ studyInstanceUid: study })).layout;
      expect(byLabel(layout, 'RMLO')).toMatchObject({ flipHorizontal: true });
      expect(byLabel(layout, 'RMLO')?.orientation?.status).toBe('chosen');
    } finally {
      await again.close();
    }
    const library = openLibrary(root);
    try {
      expect(schemaVersion(library.db)).toBe(LATEST_SCHEMA_VERSION);
      const audit = listAuditOf(library.db, 'orientation');
      expect(audit).toHaveLength(2);
      expect(audit[0]).toMatchObject({ reportId: null, action: 'orientation' });
      expect(audit[0]?.osUser).not.toBe('');
      expect(audit[0]?.detail).toBe(
        `orientation of RMLO ${rmlo?.sopInstanceUid}: flip; chest wall at the stored left edge; Patient Orientation A\\FL, pixels chest wall at the right edge; before: no choice`,
      );
      expect(audit[1]?.detail).toMatch(/^orientation of LCC [0-9.]+: keep; chest wall at the stored left edge; Patient Orientation P\\R, pixels chest wall at the left edge; before: no choice$/);
      // The audit trail stays append-only after its rebuild by migration 0090.
      expect(() => library.db.prepare('UPDATE audit_events SET detail = ? WHERE id = ?').run('x', audit[0]?.id)).toThrow(/never changed/);
      expect(() => library.db.prepare('DELETE FROM audit_events').run()).toThrow(/never changed/);
      expect(() => library.db.prepare("INSERT INTO audit_events (report_ref, action, os_user, at, detail) VALUES (NULL, 'guess', 'u', 't', 'd')").run()).toThrow(/CHECK/);
    } finally {
      library.close();
    }
  });

  it('migration 0090 keeps the audit events a library already has', () => {
    const root = tempDir();
    // A library at schema 80 with two audit events, as a library before this version holds them.
    const db = new Database(join(root, 'concord.sqlite'));
    migrate(db, MIGRATIONS.filter((m) => m.version <= 80));
    db.prepare("INSERT INTO audit_events (report_ref, action, os_user, at, detail) VALUES (NULL, 'profile', 'ana', '2026-01-01T00:00:00Z', 'profile saved')").run();
    db.prepare("INSERT INTO audit_events (report_ref, action, os_user, at, detail) VALUES (NULL, 'profile', 'ana', '2026-01-02T00:00:00Z', 'profile edited')").run();
    db.close();
    const library = openLibrary(root);
    try {
      expect(schemaVersion(library.db)).toBe(LATEST_SCHEMA_VERSION);
      expect(listAuditOf(library.db, 'profile').map((event) => [event.id, event.detail])).toEqual([[1, 'profile saved'], [2, 'profile edited']]);
      expect(library.db.pragma('foreign_key_check')).toEqual([]);
      expect(library.db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      library.close();
    }
  });
});

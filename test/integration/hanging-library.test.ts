import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { runImport } from '../../electron/services/import/importer.ts';
import { prepareHangingInput } from '../../electron/services/hanging/hang-study.ts';
import { buildHangingInput, patientStudiesOf } from '../../electron/services/hanging/input.ts';
import { openLibrary } from '../../electron/services/library/database.ts';
import { migrate } from '../../electron/services/library/database.ts';
import { MIGRATIONS } from '../../electron/services/library/migrations/index.ts';
import { acceptProposal, generateProposals, listOpenProposals } from '../../electron/services/library/reconciliation.ts';
import { CHEST_WALL_METHOD } from '../../shared/hanging/chest-wall.ts';
import { corpus, haveCorpus, haveTool } from '../support/environment.ts';
import { buildIdentityMedia } from '../support/identity-media.ts';
import { cleanupTempDirs, tempDir } from '../support/library.ts';

afterAll(cleanupTempDirs);

const MR_COLUMNS = ['temporal_position_identifier', 'number_of_temporal_positions', 'trigger_time', 'contrast_bolus_agent',
  'diffusion_b_value', 'scanning_sequence', 'sequence_name'];

describe('migrations 0060 and 0070 on a library made before them', () => {
  it('adds the MR columns as "not indexed" on existing rows, and the protocol, preference and hint tables', () => {
    const root = tempDir();
    const db = new Database(join(root, 'concord.sqlite'));
    migrate(db, MIGRATIONS.filter((m) => m.version < 60));
    db.exec(`INSERT INTO patients (id, patient_id, issuer_of_patient_id, patient_name, birth_date, sex) VALUES (1, 'P', '', 'N', '', 'F');
      INSERT INTO studies (id, study_instance_uid, patient_ref, study_date, study_time, accession_number, issuer_of_accession_number,
        study_description, study_id, referring_physician_name, institution_name, created_at)
        VALUES (1, '1.2.3', 1, '20240101', '', '', '', '', '', '', '', '2026-01-01T00:00:00Z');
      INSERT INTO series (id, series_instance_uid, study_ref, modality, series_number, series_description, body_part_examined,
        laterality, manufacturer, manufacturer_model_name) VALUES (1, '1.2.3.1', 1, 'MR', 1, 'T1', 'BREAST', '', '', '')`);
    db.close();

    const library = openLibrary(root);
    try {
      const seriesColumns = (library.db.prepare("SELECT name FROM pragma_table_info('series')").all() as { name: string }[]).map((c) => c.name);
      const instanceColumns = (library.db.prepare("SELECT name FROM pragma_table_info('instances')").all() as { name: string }[]).map((c) => c.name);
      expect(seriesColumns).toContain('protocol_name');
      expect(instanceColumns).toEqual(expect.arrayContaining(MR_COLUMNS));
      expect(library.db.prepare('SELECT protocol_name AS p, series_description AS d FROM series').get()).toEqual({ p: null, d: 'T1' });
      const tables = (library.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
      expect(tables).toEqual(expect.arrayContaining(['hanging_protocols', 'hanging_preferences', 'pixel_hints']));
      // One preferences row at most; a side is left or right or unknown.
      const prefs = library.db.prepare('INSERT INTO hanging_preferences (id, preferences, updated_at) VALUES (?, ?, ?)');
      expect(() => prefs.run(2, '{}', 'now')).toThrow(/CHECK constraint/);
      expect(() => library.db.prepare(`INSERT INTO pixel_hints (sop_instance_uid, chest_wall_side, confidence, method, computed_at)
        VALUES ('1', 'top', 0, 'm', 'now')`).run()).toThrow(/CHECK constraint/);
    } finally {
      library.close();
    }
  });
});

describe.skipIf(!haveCorpus())('MR series values: indexed at import, backfilled from the store for older rows', () => {
  it('fills the columns of rows indexed before them from the stored files, once', async () => {
    const root = tempDir();
    const summary = await runImport({ libraryRoot: root, source: corpus('03-breast-patient-cd-mr-us-mimbcd'), inMemoryLimit: 0 });
    expect(summary.counts.imported).toBe(145);
    const library = openLibrary(root);
    try {
      const db = library.db;
      const snapshot = (): unknown[] => db.prepare(`SELECT i.sop_instance_uid, se.protocol_name, ${MR_COLUMNS.map((c) => `i.${c}`).join(', ')}
        FROM instances i JOIN series se ON se.id = i.series_ref ORDER BY i.sop_instance_uid`).all();
      const atImport = snapshot();
      // The import wrote them: the Siemens MR says gradient echo, sequence *fl3d1 (dcmdump of IM0).
      const mr = db.prepare(`SELECT DISTINCT i.scanning_sequence AS s, i.sequence_name AS n FROM instances i
        JOIN series se ON se.id = i.series_ref WHERE se.modality = 'MR'`).all();
      expect(mr).toEqual([{ s: 'GR', n: '*fl3d1' }]);
      expect(db.prepare('SELECT count(*) AS n FROM instances WHERE scanning_sequence IS NULL').get()).toEqual({ n: 0 });

      // As a library indexed before migration 0060 holds them.
      db.exec(`UPDATE series SET protocol_name = NULL; UPDATE instances SET ${MR_COLUMNS.map((c) => `${c} = NULL`).join(', ')}`);
      const study = (db.prepare("SELECT study_instance_uid AS uid FROM studies").get() as { uid: string }).uid;
      const first = await prepareHangingInput(library, study);
      expect(first.backfill).toEqual({ filled: 145, failed: [] });
      expect(snapshot()).toEqual(atImport);
      const mrInstance = first.input.current.instances.find((i) => i.modality === 'MR');
      expect(mrInstance).toMatchObject({ scanningSequence: 'GR', sequenceName: '*fl3d1' });

      const second = await prepareHangingInput(library, study);
      expect(second.backfill).toEqual({ filled: 0, failed: [] });
    } finally {
      library.close();
    }
  });
});

describe.skipIf(!haveCorpus() || !haveTool('dcmodify', 'dcmtk'))('the engine input: the local patient across linked identities', () => {
  it('takes the other studies of every identity linked to the study\'s local patient, and no one else\'s', async () => {
    const root = tempDir();
    const media = buildIdentityMedia(tempDir());
    for (const medium of [media.prior, media.current, media.lookAlike]) {
      await runImport({ libraryRoot: root, source: medium.path, inMemoryLimit: 0 });
    }
    const library = openLibrary(root);
    try {
      const db = library.db;
      const studyOf = (patientId: string): string =>
        (db.prepare('SELECT st.study_instance_uid AS uid FROM studies st JOIN patients p ON p.id = st.patient_ref WHERE p.patient_id = ?')
          .get(patientId) as { uid: string }).uid;
      const current = studyOf(media.current.patientId);
      const before = patientStudiesOf(db, current);
      expect(before?.others).toEqual([]);

      generateProposals(db);
      const proposal = listOpenProposals(db).find((p) => p.identities.some((i) => i.patientId === media.prior.patientId));
      expect(proposal).toBeDefined();
      acceptProposal(db, proposal?.id ?? 0, 'test reader');

      const after = patientStudiesOf(db, current);
      expect(after?.others.map((s) => s.studyInstanceUid)).toEqual([studyOf(media.prior.patientId)]);
      const input = buildHangingInput(db, after ?? { current: { id: 0, studyInstanceUid: '' }, others: [] });
      expect(input.current).toMatchObject({ studyInstanceUid: current, studyDate: media.current.studyDate, facility: media.current.facility, modalities: ['MR'] });
      expect(input.others).toHaveLength(1);
      expect(input.others[0]).toMatchObject({ studyDate: media.prior.studyDate, facility: media.prior.facility });
      expect(input.others[0]?.instances[0]).toMatchObject({ modality: 'MR', rows: 512, columns: 512, numberOfFrames: 1, pixelHint: null });
      expect(patientStudiesOf(db, '9.9.9')).toBeNull();
    } finally {
      library.close();
    }
  });
});

describe.skipIf(!haveCorpus() || !haveTool('dcmodify', 'dcmtk'))('chest-wall hints from the pixels of a film without Patient Orientation', () => {
  it('finds the chest wall on the left of the digitised LMLO (JPEG Extended and JPEG 2000), caches it, and reuses it', async () => {
    // The corpus film says A\F; copies without it are the outside CD this is for. Rendered with
    // dcmj2pnm, the film shows the breast against its left edge (the pectoral muscle top left) and
    // air on the right with the nipple in profile: the chest wall is the first column.
    const media = tempDir();
    mkdirSync(join(media, 'film'));
    for (const file of ['MG1_JPLY.dcm', 'MG1_J2KI.dcm']) {
      const copy = join(media, 'film', file);
      cpSync(corpus('01-mg-wg04-ddsm-film-lmlo', file), copy);
      execFileSync('dcmodify', ['-nb', '-gin', '-ea', '(0020,0020)', copy], { stdio: 'ignore' });
    }
    // And one original, which keeps its Patient Orientation: its pixels are analysed too, to check it.
    mkdirSync(join(media, 'original'));
    cpSync(corpus('01-mg-wg04-ddsm-film-lmlo', 'MG1_JPLY.dcm'), join(media, 'original', 'MG1_JPLY.dcm'));
    const root = tempDir();
    const summary = await runImport({ libraryRoot: root, source: media, inMemoryLimit: 0 });
    expect(summary.counts.imported).toBe(3);
    const library = openLibrary(root);
    try {
      const study = (library.db.prepare('SELECT study_instance_uid AS uid FROM studies').get() as { uid: string }).uid;
      const first = await prepareHangingInput(library, study);
      expect(first.hints).toEqual({ computed: 3, cached: 0, unanalysed: [] });
      const films = first.input.current.instances;
      expect(films).toHaveLength(3);
      expect(films.filter((i) => i.patientOrientation === '')).toHaveLength(2);
      for (const film of films) {
        expect(film.pixelHint).toMatchObject({ chestWallSide: 'left', method: CHEST_WALL_METHOD });
        expect(film.pixelHint?.confidence).toBeGreaterThan(0.25);
      }
      const rows = library.db.prepare('SELECT chest_wall_side AS side, method, reason FROM pixel_hints').all();
      expect(rows).toEqual(Array.from({ length: 3 }, () => ({ side: 'left', method: CHEST_WALL_METHOD, reason: null })));

      const second = await prepareHangingInput(library, study);
      expect(second.hints).toEqual({ computed: 0, cached: 3, unanalysed: [] });
      expect(second.input.current.instances.map((i) => i.pixelHint?.chestWallSide)).toEqual(['left', 'left', 'left']);
    } finally {
      library.close();
    }
  });
});

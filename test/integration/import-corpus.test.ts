import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../shared/import/outcomes.ts';
import { concordJson } from '../support/cli.ts';
import { corpus, haveCorpus, haveTool } from '../support/environment.ts';
import { cleanupTempDirs, count, openIndex, tempDir } from '../support/library.ts';

const available = haveCorpus();
afterAll(cleanupTempDirs);

type Counts = Partial<ImportSummary['counts']>;

/** Every corpus folder, with what each of its files must come to. Unlisted outcomes must be zero. */
const EXPECTED: Record<string, { files: number; counts: Counts; nonImage: number; studies: number }> = {
  '01-mg-wg04-ddsm-film-lmlo': { files: 4, counts: { imported: 2, 'not-dicom': 2 }, nonImage: 0, studies: 1 },
  '03-breast-patient-cd-mr-us-mimbcd': {
    files: 148, counts: { imported: 145, 'media-directory': 1, 'not-dicom': 2 }, nonImage: 0, studies: 2,
  },
  '05-mr-enhanced-multiframe': { files: 4, counts: { imported: 2, 'not-dicom': 2 }, nonImage: 0, studies: 2 },
  '06-dicomdir-charsets-clunie': {
    files: 14, counts: { imported: 11, 'media-directory': 1, 'not-dicom': 2 }, nonImage: 0, studies: 11,
  },
  '07-reports-sr-pdf': { files: 9, counts: { imported: 7, 'not-dicom': 2 }, nonImage: 7, studies: 7 },
  '08-transfer-syntaxes': { files: 12, counts: { imported: 10, 'not-dicom': 2 }, nonImage: 0, studies: 5 },
  '09-breast-dce-mr-mimbcd': { files: 194, counts: { imported: 192, 'not-dicom': 2 }, nonImage: 0, studies: 1 },
  '10-breast-us-mimbcd': { files: 9, counts: { imported: 7, 'not-dicom': 2 }, nonImage: 0, studies: 3 },
};

function importFolder(folder: string): { library: string; summary: ImportSummary } {
  const library = tempDir();
  const summary = concordJson<ImportSummary>(['import', corpus(folder), '--library', library]);
  return { library, summary };
}

describe.skipIf(!available)('importing the real-world corpus', () => {
  it('covers every folder of the corpus', () => {
    const folders = readdirSync(corpus(), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(folders.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [folder, expected] of Object.entries(EXPECTED)) {
    it(`accounts for every file of ${folder}`, () => {
      const { library, summary } = importFolder(folder);
      expect(summary.status).toBe('completed');
      expect(summary.filesSeen).toBe(expected.files);
      const total = Object.values(summary.counts).reduce((a, b) => a + b, 0);
      expect(total).toBe(expected.files);
      for (const [outcome, n] of Object.entries(summary.counts)) {
        expect({ outcome, n }).toEqual({ outcome, n: expected.counts[outcome as keyof Counts] ?? 0 });
      }
      expect(summary.nonImageInstances).toHaveLength(expected.nonImage);
      expect(summary.studies).toHaveLength(expected.studies);
      // Every problem names its file and a reason.
      for (const problem of summary.problems) {
        expect(problem.path).not.toBe('');
        expect(problem.reason).toBeTruthy();
      }
      const db = openIndex(library);
      try {
        expect(count(db, 'SELECT count(*) AS n FROM instances')).toBe(expected.counts.imported);
        expect(count(db, 'SELECT count(DISTINCT store_key) AS n FROM instances')).toBe(expected.counts.imported);
      } finally {
        db.close();
      }
    });
  }

  it('indexes the attributes hanging protocols and reports need (mammogram, MRI, enhanced MR)', () => {
    const library = tempDir();
    concordJson(['import', corpus(), '--library', library]);
    const db = openIndex(library);
    try {
      const mg = db
        .prepare(`SELECT i.*, se.laterality, se.modality FROM instances i JOIN series se ON se.id = i.series_ref
          WHERE i.transfer_syntax_uid = '1.2.840.10008.1.2.4.51' AND i.rows = 4664`)
        .get() as Record<string, unknown>;
      expect(mg).toMatchObject({ modality: 'RG', laterality: 'L', columns: 3064, bits_stored: 12, displayable: 1 });
      const mri = db
        .prepare(`SELECT count(*) AS n, min(rows) AS rows, min(columns) AS columns, count(DISTINCT image_position_patient) AS positions
          FROM instances i JOIN series se ON se.id = i.series_ref WHERE se.modality = 'MR' AND i.source_path LIKE '03-%'`)
        .get() as Record<string, number>;
      expect(mri).toEqual({ n: 144, rows: 352, columns: 352, positions: 144 });
      const enhanced = db
        .prepare(`SELECT number_of_frames AS frames, image_orientation_patient AS iop, pixel_spacing AS spacing
          FROM instances WHERE source_path LIKE '%Philips_IM_0027_fMAP.dcm'`)
        .get() as Record<string, unknown>;
      expect(enhanced.frames).toBe(64);
      // Geometry of an Enhanced MR lives in its functional groups; it must still be indexed.
      expect(enhanced.iop).toMatch(/^-?[\d.]+(\\-?[\d.e-]+){5}$/);
      expect(enhanced.spacing).toMatch(/^[\d.]+\\[\d.]+$/);
      const pdf = db.prepare("SELECT object_kind AS kind, displayable FROM instances WHERE source_path LIKE '%encapsulated-pdf%'").get();
      expect(pdf).toEqual({ kind: 'encapsulated-document', displayable: 0 });
      const original = JSON.parse(
        (db.prepare("SELECT original_attributes AS a FROM instances WHERE source_path LIKE '%SCSGREEK'").get() as { a: string }).a,
      ) as Record<string, unknown>;
      expect(original.patientId).toBe('SCSGREEK');
      expect(original.specificCharacterSet).toBe('ISO_IR 126');
    } finally {
      db.close();
    }
  });
});

/** Patient names of the character-set files, as the DICOM standard's examples (PS3.5 Annex H, I, J) write them. */
const NAMES: Record<string, string> = {
  SCSARAB: 'قباني^لنزار',
  SCSFREN: 'Buc^Jérôme',
  SCSGERM: 'Äneas^Rüdiger',
  SCSGREEK: 'Διονυσιος',
  SCSHBRW: 'שרון^דבורה',
  SCSRUSS: 'Люкceмбypг',
  SCSH31: 'Yamada^Tarou=山田^太郎=やまだ^たろう',
  SCSH32: 'ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう',
  SCSI2: 'Hong^Gildong=洪^吉洞=홍^길동',
  SCSX1: 'Wang^XiaoDong=王^小東=',
  SCSX2: 'Wang^XiaoDong=王^小东=',
};

describe.skipIf(!available)('dynamic breast MRI and ultrasound from the corpus', () => {
  it('keeps the six DCE phases as six series of one study, each on the same 32 slice positions', () => {
    const library = tempDir();
    concordJson(['import', corpus('09-breast-dce-mr-mimbcd'), '--library', library]);
    const db = openIndex(library);
    try {
      const phases = db
        .prepare(`SELECT se.series_number AS series, count(*) AS slices, group_concat(DISTINCT se.series_description) AS description
          FROM instances i JOIN series se ON se.id = i.series_ref GROUP BY se.id ORDER BY se.series_number`)
        .all() as { series: number; slices: number; description: string }[];
      expect(phases.map((p) => [p.series, p.slices])).toEqual([[8, 32], [9, 32], [13, 32], [15, 32], [17, 32], [19, 32]]);
      // The phases share one description: only AcquisitionNumber orders them.
      expect(new Set(phases.map((p) => p.description)).size).toBe(1);
      const positions = count(db, 'SELECT count(DISTINCT image_position_patient) AS n FROM instances');
      expect(positions).toBe(32);
    } finally {
      db.close();
    }
  });

  it('indexes ultrasound from three scanners, the screen-captured one as a Secondary Capture', () => {
    const library = tempDir();
    concordJson(['import', corpus('10-breast-us-mimbcd'), '--library', library]);
    const db = openIndex(library);
    try {
      const rows = db
        .prepare(`SELECT i.source_path AS path, se.modality AS modality, i.sop_class_uid AS sopClass, i.displayable AS displayable
          FROM instances i JOIN series se ON se.id = i.series_ref ORDER BY i.source_path`)
        .all() as { path: string; modality: string; sopClass: string; displayable: number }[];
      expect(rows).toHaveLength(7);
      for (const row of rows) {expect({ path: row.path, displayable: row.displayable }).toEqual({ path: row.path, displayable: 1 });}
      const secondaryCapture = rows.filter((r) => r.sopClass === '1.2.840.10008.5.1.4.1.1.7');
      expect(secondaryCapture.map((r) => r.path)).toEqual(['ge-logiq-p6-secondary-capture/IM4']);
      expect(rows.filter((r) => r.sopClass === '1.2.840.10008.5.1.4.1.1.6.1')).toHaveLength(6);
    } finally {
      db.close();
    }
  });
});

describe.skipIf(!available)('patient names in eleven character sets', () => {
  const folder = '06-dicomdir-charsets-clunie';

  it('come out of the database as the right Unicode text', () => {
    const library = tempDir();
    concordJson(['import', corpus(folder), '--library', library]);
    const db = openIndex(library);
    try {
      const rows = db
        .prepare(`SELECT i.source_path AS path, p.patient_name AS name FROM instances i
          JOIN series se ON se.id = i.series_ref JOIN studies st ON st.id = se.study_ref JOIN patients p ON p.id = st.patient_ref`)
        .all() as { path: string; name: string }[];
      const byFile = Object.fromEntries(rows.map((r) => [r.path.split('/').pop(), r.name]));
      expect(byFile).toEqual(NAMES);
    } finally {
      db.close();
    }
  });

  it.skipIf(!haveTool('dcmconv', 'dcmtk'))('agree with dcmtk wherever dcmtk can convert the character set', () => {
    const out = tempDir();
    const library = tempDir();
    concordJson(['import', corpus(folder), '--library', library]);
    const db = openIndex(library);
    let compared = 0;
    try {
      for (const file of Object.keys(NAMES)) {
        const converted = join(out, `${file}.dcm`);
        try {
          execFileSync('dcmconv', ['+U8', corpus(folder, file), converted], { stdio: 'ignore' });
        } catch {
          continue; // dcmtk's iconv lacks ISO 2022 IR 87 (Japanese); the standard's text above covers it.
        }
        const dump = execFileSync('dcmdump', ['+P', 'PatientName', converted], { encoding: 'utf8' });
        const dcmtkName = /\[(.*)\]/.exec(dump)?.[1];
        const ours = db
          .prepare(`SELECT p.patient_name AS name FROM instances i JOIN series se ON se.id = i.series_ref
            JOIN studies st ON st.id = se.study_ref JOIN patients p ON p.id = st.patient_ref WHERE i.source_path = ?`)
          .get(file) as { name: string };
        expect({ file, name: ours.name }).toEqual({ file, name: dcmtkName });
        compared += 1;
      }
    } finally {
      db.close();
    }
    expect(compared).toBeGreaterThanOrEqual(8);
  });
});

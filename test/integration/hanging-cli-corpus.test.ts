import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedLayout } from '../../shared/hanging/layout.ts';
import { concord, concordJson } from '../support/cli.ts';
import { corpus, haveCorpus, haveTool } from '../support/environment.ts';
import { cleanupTempDirs, openIndex, tempDir } from '../support/library.ts';

afterAll(cleanupTempDirs);

/** The fields of `concord hang --json` that support staff rely on (see its --help). */
const RELIED_SLOT_FIELDS = ['slot', 'role', 'sopInstanceUid', 'laterality', 'view', 'flipHorizontal', 'flipVertical', 'rotation', 'inferred', 'rules', 'empty'];

describe.skipIf(!haveCorpus() || !haveTool('dcmodify', 'dcmtk'))('concord hang on the imported corpus (built command line, real engine)', () => {
  const library = tempDir();
  const studyOf = (modality: string): string => {
    const db = openIndex(library);
    try {
      return (db.prepare(`SELECT st.study_instance_uid AS uid FROM studies st JOIN series se ON se.study_ref = st.id
        WHERE se.modality = ? LIMIT 1`).get(modality) as { uid: string }).uid;
    } finally {
      db.close();
    }
  };

  beforeAll(() => {
    for (const folder of ['01-mg-wg04-ddsm-film-lmlo', '03-breast-patient-cd-mr-us-mimbcd']) {
      expect(concordJson<{ status: string }>(['import', corpus(folder), '--library', library]).status).toBe('completed');
    }
  });

  it('identifies the digitised film as the rules say: L from Series Laterality (inferred), MLO from View Position', () => {
    const film = studyOf('RG');
    const layout = concordJson<ResolvedLayout>(['hang', film, '--protocol', 'mg-second-opinion', '--library', library]);
    expect(layout.protocol).toMatchObject({ id: 'mg-second-opinion' });
    expect(layout.stage).toMatchObject({ number: 1 });
    expect(layout.stage.count).toBeGreaterThanOrEqual(1);
    expect(layout.prior).toBeNull();
    for (const slot of layout.slots) {
      expect(Object.keys(slot)).toEqual(expect.arrayContaining(RELIED_SLOT_FIELDS));
    }
    const shown = layout.slots.filter((slot) => slot.sopInstanceUid !== null);
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({ role: 'current', laterality: 'L', view: 'MLO' });
    expect(shown[0]?.inferred.join(' ')).toMatch(/laterality from series Laterality/i);
    // Its Patient Orientation (A\\F) puts the chest wall at the first column, where a left MLO wants it.
    expect(shown[0]).toMatchObject({ flipHorizontal: false, flipVertical: false, rotation: 0 });
  });

  it('gives the breast MRI series a role', () => {
    const mr = studyOf('MR');
    const layout = concordJson<ResolvedLayout>(['hang', mr, '--library', library]);
    const filled = layout.slots.filter((slot) => slot.sopInstanceUid !== null);
    expect(filled.length).toBeGreaterThan(0);
    for (const slot of filled) {
      expect(slot.seriesRole).not.toBeNull();
    }
    const text = concord(['hang', mr, '--library', library]);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^slot\s+role\s+label\s+image\s+flips\s+inferred\s+empty$/m);
    expect(text.stdout).toMatch(/^Prior: none$/m);
    const beyond = concord(['hang', mr, '--stage', String(layout.stage.count + 1), '--library', library]);
    expect(beyond.status).toBe(2);
    expect(beyond.stderr).toContain(`has ${layout.stage.count} stages`);
  });

  it('orients a film without Patient Orientation from its pixels', () => {
    const media = join(tempDir(), 'film');
    mkdirSync(media);
    const copy = join(media, 'MG1_JPLY.dcm');
    cpSync(corpus('01-mg-wg04-ddsm-film-lmlo', 'MG1_JPLY.dcm'), copy);
    // A new patient, study, series and instance, without Patient Orientation: an outside CD's film.
    execFileSync('dcmodify', ['-nb', '-gst', '-gse', '-gin', '-i', '(0010,0020)=FILM-NO-PO', '-ea', '(0020,0020)', copy], { stdio: 'ignore' });
    const own = tempDir();
    concordJson(['import', media, '--library', own]);
    const db = openIndex(own);
    const study = (db.prepare('SELECT study_instance_uid AS uid FROM studies').get() as { uid: string }).uid;
    db.close();
    const layout = concordJson<ResolvedLayout>(['hang', study, '--protocol', 'mg-second-opinion', '--library', own]);
    const shown = layout.slots.find((slot) => slot.sopInstanceUid !== null);
    expect(shown).toMatchObject({ laterality: 'L', view: 'MLO', flipHorizontal: false });
    expect(shown?.inferred).toContain('orientation from the image');
    expect(shown?.orientation).toMatchObject({ status: 'image', imageChestWall: 'left', shownChestWall: 'left' });
    expect(shown?.rules.join(' ')).toMatch(/pixels: chest wall at the stored left edge/);
  });
});

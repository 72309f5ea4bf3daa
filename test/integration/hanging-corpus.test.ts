import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAttributes } from '../../electron/services/import/attributes.ts';
import { inspectBytes } from '../../electron/services/import/dicom-header.ts';
import { resolveHanging } from '../../shared/hanging/engine.ts';
import { inferChestWallSide } from '../../shared/hanging/chest-wall.ts';
import { identifyMammo } from '../../shared/hanging/mammo-identify.ts';
import { orientMammo } from '../../shared/hanging/mammo-orientation.ts';
import { DEFAULT_HANGING_PREFERENCES } from '../../shared/hanging/protocol.ts';
import { FACTORY_PROTOCOLS } from '../../shared/hanging/protocols/index.ts';
import type { HangingInstance } from '../../shared/hanging/model.ts';
import { corpusRoot, haveCorpus, haveTool } from '../support/environment.ts';
import { referencePixels } from '../support/reference-pixels.ts';
import { instanceFromAttributes, makeStudy } from '../support/hanging-input.ts';

/** The hanging rules on real headers read by the importer's own reader. */
function readInstance(path: string): HangingInstance {
  const result = inspectBytes(readFileSync(path));
  if (!result.ok) {
    throw new Error(`${path}: ${result.reason}`);
  }
  try {
    return instanceFromAttributes(readAttributes(result.header));
  } finally {
    result.source.close();
  }
}

describe.runIf(haveCorpus())('hanging rules on the real corpus', () => {
  it('identifies the digitised-film LMLO (RG Secondary Capture, series Laterality only) and keeps its stored orientation', () => {
    const film = readInstance(join(corpusRoot, '01-mg-wg04-ddsm-film-lmlo', 'MG1_JPLY.dcm'));
    const identity = identifyMammo(film);
    expect(identity).toMatchObject({ breastImage: true, kind: '2d', laterality: 'L', view: 'MLO', modifiers: [] });
    expect(identity.rules[0]).toBe('breast image: Modality RG with breast hint \'Body Part Examined BREAST\'');
    expect(identity.inferred).toEqual(['laterality from series Laterality']);
    const orientation = orientMammo(film, identity.laterality, identity.view);
    expect([orientation.flipHorizontal, orientation.flipVertical, orientation.rotation]).toEqual([false, false, 0]);

    const layout = resolveHanging({ current: makeStudy('20040826', [film]), others: [] }, FACTORY_PROTOCOLS, {}, DEFAULT_HANGING_PREFERENCES);
    expect(layout.protocol.id).toBe('mg-second-opinion');
    const cell = layout.slots.find((slot) => slot.sopInstanceUid === film.sopInstanceUid);
    expect(cell?.label).toBe('LMLO');
    expect(cell?.justification.horizontal).toBe('left');
  });

  it('hangs the breast MR patient CD with the breast MR protocol and keeps the ultrasound image out of it', () => {
    const folder = join(corpusRoot, '03-breast-patient-cd-mr-us-mimbcd', 'IMAGES');
    const instances = readdirSync(folder).map((name) => readInstance(join(folder, name)));
    const layout = resolveHanging({ current: makeStudy('', instances), others: [] }, FACTORY_PROTOCOLS, {}, DEFAULT_HANGING_PREFERENCES);
    expect(layout.protocol.id).toBe('mr-breast-comparison');
    const dynamic = layout.slots.find((slot) => slot.seriesRole === 'dce');
    expect(dynamic?.plane).toBe('axial');
    expect(dynamic?.rules[0]).toBe("role: DCE ('FL3D')");
    // One series of a 1+5 dynamic protocol, no contrast agent recorded: its phase is not guessed, and the cell says so.
    expect(dynamic?.phase).toBeNull();
    expect(dynamic?.label).toBe('DCE ax');
    expect(dynamic?.warnings).toContain('Contrast phase not recorded: this may be any phase');
    expect(layout.additional.map((entry) => entry.reason)).toEqual(['not part of the MR comparison (modality US)']);
  });
});

describe.runIf(haveCorpus() && haveTool('dcmdjpeg', 'dcmtk'))('chest-wall side on a real film', () => {
  it('finds the chest wall of the LMLO film where its Patient Orientation (A\\F) puts it: the left edge', () => {
    const work = mkdtempSync(join(tmpdir(), 'concord-chest-wall-'));
    try {
      const pixels = referencePixels(join(corpusRoot, '01-mg-wg04-ddsm-film-lmlo', 'MG1_JPLY.dcm'), work);
      const hint = inferChestWallSide({ rows: pixels.rows, columns: pixels.columns, values: pixels.values, invert: false });
      expect(hint.chestWallSide).toBe('left');
      // Hanging it without its Patient Orientation, from the pixels alone, gives the same result as with it.
      const film = { ...readInstance(join(corpusRoot, '01-mg-wg04-ddsm-film-lmlo', 'MG1_JPLY.dcm')), patientOrientation: '', pixelHint: hint };
      const orientation = orientMammo(film, 'L', 'MLO');
      expect(orientation.flipHorizontal).toBe(false);
      expect(orientation.inferred).toEqual(['orientation from the image']);
      // And with it: header and pixels agree, and nothing is said on the cell.
      const checked = orientMammo({ ...film, patientOrientation: 'A\\F' }, 'L', 'MLO');
      expect(checked.check.status).toBe('agree');
      expect([...checked.inferred, ...checked.warnings]).toEqual([]);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

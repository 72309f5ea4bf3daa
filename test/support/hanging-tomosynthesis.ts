// The multi-frame objects of the variants' MG study: a Breast Tomosynthesis Image and a vendor projection
// set stored as multi-frame Secondary Capture.
import { join } from 'node:path';
import { codeItem, commonStudyElements, ds, el, pixelData, seededUid, sequence, writePart10 } from './hanging-dicom.ts';
import type { Dataset } from './hanging-dicom.ts';
import { SOP_CLASS } from './hanging-manifest.ts';
import type { FixtureFile } from './hanging-manifest.ts';
import { BREAST, VIEW_CODES, renderMammogram } from './hanging-mammography.ts';
import type { MammoStudyPlan } from './hanging-mammography.ts';

/**
 * A vendor's tomosynthesis projection set kept as multi-frame Secondary Capture in the MG study (as some
 * exports do); `template` is a file of the same study whose study-level entries the manifest repeats.
 */
export function writeProjectionSet(out: string, seed: string, study: MammoStudyPlan, template: FixtureFile): FixtureFile {
  const rows = 256;
  const columns = 208;
  const frames = 9;
  const all = new Uint16Array(rows * columns * frames);
  for (let frame = 0; frame < frames; frame += 1) {
    const { pixels } = renderMammogram({ rows, columns, view: 'CC', chestWallSide: 'right', upsideDown: false, marker: `R${frame + 1}`, identity: `projection|${frame}`, seed, gain: 1 });
    all.set(pixels, frame * rows * columns);
  }
  const sopInstanceUid = seededUid(seed, study.key, 'projections', 1, 'sop');
  const seriesInstanceUid = seededUid(seed, study.key, 'projections', 'series');
  const dataset: Dataset = {
    ...commonStudyElements(seed, study, 'MAMMOGRAM SCREENING BILATERAL'),
    '00080008': el('CS', 'DERIVED', 'SECONDARY'),
    '00080016': el('UI', SOP_CLASS.multiframeGrayscaleWordSecondaryCapture),
    '00080018': el('UI', sopInstanceUid),
    '00080023': el('DA', study.studyDate),
    '00080033': el('TM', '083012'),
    '00080060': el('CS', 'MG'),
    '00080064': el('CS', 'WSD'),
    '00080070': el('LO', study.manufacturer),
    '0008103E': el('LO', 'R CC Tomo Projections'),
    '00081090': el('LO', study.model),
    '0020000E': el('UI', seriesInstanceUid),
    '00200011': el('IS', '73001'),
    '00200013': el('IS', '1'),
    '00200020': el('CS', 'P', 'L'),
    '00200062': el('CS', 'R'),
    '00280002': el('US', 1),
    '00280004': el('CS', 'MONOCHROME2'),
    '00280008': el('IS', String(frames)),
    '00280009': el('AT', 0x00181063),
    '00181063': el('DS', '100'),
    '00280010': el('US', rows),
    '00280011': el('US', columns),
    '00280100': el('US', 16),
    '00280101': el('US', 12),
    '00280102': el('US', 11),
    '00280103': el('US', 0),
    '00281050': el('DS', '2048'),
    '00281051': el('DS', '4096'),
    '00281052': el('DS', '0'),
    '00281053': el('DS', '1'),
    '00281054': el('LO', 'US'),
    '00282110': el('CS', '00'),
    '00280301': el('CS', 'NO'),
    '20500020': el('CS', 'IDENTITY'),
    '7FE00010': pixelData(all),
  };
  const path = `variants/${study.key}/S73001/IM001.dcm`;
  writePart10(join(out, path), dataset);
  return {
    ...template,
    path,
    seriesInstanceUid,
    sopInstanceUid,
    sopClassUid: SOP_CLASS.multiframeGrayscaleWordSecondaryCapture,
    seriesNumber: 73001,
    seriesDescription: 'R CC Tomo Projections',
    instanceNumber: 1,
    kind: 'projection-set',
    rows,
    columns,
    frames,
    laterality: 'R',
    view: 'CC',
    modifiers: [],
    presentationIntent: null,
    patientOrientation: 'P\\L',
    targetOrientation: 'P\\L',
    chestWallSide: 'right',
    imagerPixelSpacingMm: null,
    magnificationFactor: null,
    acquisitionTime: '083012',
    headerGaps: ['secondary-capture-projections'],
    marker: null,
    masses: [],
  };
}

/**
 * A small Breast Tomosynthesis Image (enhanced multi-frame): R CC reconstructed slices, geometry in the
 * functional groups (Image Orientation (Patient) matching P\\L, one Image Position per slice), laterality
 * in the shared Frame Anatomy, as DBT units write it; no Patient Orientation (the IOD has none).
 */
export function writeTomosynthesis(out: string, seed: string, study: MammoStudyPlan, template: FixtureFile): FixtureFile {
  const rows = 160;
  const columns = 128;
  const frames = 8;
  const sliceMm = 1;
  const spacingMm = 0.5;
  const all = new Uint16Array(rows * columns * frames);
  for (let frame = 0; frame < frames; frame += 1) {
    const { pixels } = renderMammogram({ rows, columns, view: 'CC', chestWallSide: 'right', upsideDown: false, marker: 'RCC', identity: `tomosynthesis|${frame}`, seed, gain: 1 });
    all.set(pixels, frame * rows * columns);
  }
  const key = 'tomosynthesis';
  const sopInstanceUid = seededUid(seed, study.key, key, 1, 'sop');
  const seriesInstanceUid = seededUid(seed, study.key, key, 'series');
  const dimensionOrganizationUid = seededUid(seed, study.key, key, 'dimensions');
  const contentTime = '082741';
  const perFrame = Array.from({ length: frames }, (_, frame): Dataset => ({
    '00209111': sequence({
      '00209157': el('UL', frame + 1),
      '00209156': el('US', frame + 1),
      '00189074': el('DT', `${study.studyDate}${contentTime}`),
      '00189151': el('DT', `${study.studyDate}${contentTime}`),
      '00189220': el('FD', 0.1),
    }),
    '00209113': sequence({ '00200032': el('DS', '-20', '-40', ds(10 + frame * sliceMm)) }),
    '00189504': sequence({
      '00089007': el('CS', 'ORIGINAL', 'PRIMARY', 'TOMOSYNTHESIS', 'NONE'),
      '00089205': el('CS', 'MONOCHROME'),
      '00089206': el('CS', 'VOLUME'),
      '00089207': el('CS', 'TOMOSYNTHESIS'),
    }),
  }));
  const shared: Dataset = {
    '00289110': sequence({ '00280030': el('DS', ds(spacingMm), ds(spacingMm)), '00180050': el('DS', ds(sliceMm)) }),
    // Rows go posterior (+y), columns to the patient's left (+x): P\\L as a 2D image of this view would say.
    '00209116': sequence({ '00200037': el('DS', '0', '1', '0', '1', '0', '0') }),
    '00209071': sequence({ '00082218': sequence(codeItem(BREAST)), '00209072': el('CS', 'R') }),
    '00289132': sequence({ '00281050': el('DS', '2048'), '00281051': el('DS', '4096') }),
    '00289145': sequence({ '00281052': el('DS', '0'), '00281053': el('DS', '1'), '00281054': el('LO', 'US') }),
  };
  const dataset: Dataset = {
    ...commonStudyElements(seed, study, 'MAMMOGRAM SCREENING BILATERAL'),
    '00080008': el('CS', 'ORIGINAL', 'PRIMARY', 'TOMOSYNTHESIS', 'NONE'),
    '00080016': el('UI', SOP_CLASS.breastTomosynthesis),
    '00080018': el('UI', sopInstanceUid),
    '00080023': el('DA', study.studyDate),
    '00080033': el('TM', contentTime),
    '00080060': el('CS', 'MG'),
    '00080070': el('LO', study.manufacturer),
    '0008103E': el('LO', 'R CC Tomosynthesis'),
    '00081090': el('LO', study.model),
    '00181000': el('LO', 'MR0042'),
    '00181020': el('LO', 'VB10'),
    '00089205': el('CS', 'MONOCHROME'),
    '00089206': el('CS', 'VOLUME'),
    '00089207': el('CS', 'TOMOSYNTHESIS'),
    '00189004': el('CS', 'PRODUCT'),
    '0020000E': el('UI', seriesInstanceUid),
    '00200011': el('IS', '74001'),
    '00200013': el('IS', '1'),
    '00200052': el('UI', seededUid(seed, study.key, key, 'frame-of-reference')),
    '00201040': el('LO', ''),
    '00209221': sequence({ '00209164': el('UI', dimensionOrganizationUid) }),
    '00209222': sequence(
      { '00209164': el('UI', dimensionOrganizationUid), '00209165': el('AT', 0x00209056), '00209167': el('AT', 0x00209111) },
    ),
    '00280002': el('US', 1),
    '00280004': el('CS', 'MONOCHROME2'),
    '00280008': el('IS', String(frames)),
    '00280010': el('US', rows),
    '00280011': el('US', columns),
    '00280100': el('US', 16),
    '00280101': el('US', 12),
    '00280102': el('US', 11),
    '00280103': el('US', 0),
    '00280301': el('CS', 'NO'),
    '00282110': el('CS', '00'),
    '00281300': el('CS', 'NO'),
    '00400555': sequence(),
    '00540220': sequence({ ...codeItem(VIEW_CODES.SCT.CC), '00540222': sequence() }),
    '52009229': sequence(shared),
    '52009230': sequence(...perFrame),
    '20500020': el('CS', 'IDENTITY'),
    '7FE00010': pixelData(all),
  };
  const path = `variants/${study.key}/S74001/IM001.dcm`;
  writePart10(join(out, path), dataset);
  return {
    ...template,
    path,
    seriesInstanceUid,
    sopInstanceUid,
    sopClassUid: SOP_CLASS.breastTomosynthesis,
    seriesNumber: 74001,
    seriesDescription: 'R CC Tomosynthesis',
    instanceNumber: 1,
    kind: 'tomosynthesis',
    rows,
    columns,
    frames,
    laterality: 'R',
    view: 'CC',
    modifiers: [],
    presentationIntent: null,
    patientOrientation: null,
    targetOrientation: 'P\\L',
    chestWallSide: 'right',
    imagerPixelSpacingMm: null,
    magnificationFactor: null,
    acquisitionTime: contentTime,
    headerGaps: [],
    marker: 'RCC',
    masses: [],
  };
}


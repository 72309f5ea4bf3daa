// Mammograms for the orientation check (issue 17): every side and view, stored as the target wants it or
// mirrored, with Patient Orientation written in full, abbreviated, left out, or contradicting the pixels.
// One study (and one patient, so no prior joins it) per form and storage; the manifest's chestWallSide is
// where the breast really lies in the stored pixels, whatever the header says.
import { writeMammoStudy } from './hanging-mammography.ts';
import type { MammoImagePlan, MammoStudyPlan } from './hanging-mammography.ts';
import type { FixtureFile, FixtureStudy, Laterality, MammoView } from './hanging-manifest.ts';

export const ORIENTATION_FORMS = ['full', 'abbreviated', 'absent', 'contradicting'] as const;
export type OrientationForm = (typeof ORIENTATION_FORMS)[number];

export interface OrientationCase {
  form: OrientationForm;
  /** Stored with the chest wall away from the seam: the image must be flipped to hang. */
  mirrored: boolean;
  study: FixtureStudy;
  files: FixtureFile[];
}

/** Eight women with nothing in common, so the library proposes no link between them. */
const PATIENTS = [
  ['Abernathy^Clara', '19520214'], ['Bjornsdottir^Helga', '19580907'], ['Castellano^Lucia', '19630321'], ['Dimitriou^Eleni', '19690712'],
  ['Eze^Chiamaka', '19741128'], ['Fujimoto^Aiko', '19790403'], ['Gustafsson^Ebba', '19830815'], ['Haddad^Rana', '19880130'],
] as const;

const VIEWS: [Laterality, MammoView][] = [['R', 'CC'], ['L', 'CC'], ['R', 'MLO'], ['L', 'MLO']];

/** The row letter that puts the chest wall at the stored right (P) or left (A) edge. */
function rowFor(chestWall: 'left' | 'right'): string {
  return chestWall === 'right' ? 'P' : 'A';
}

/** The column as a unit writes it: full (oblique for MLO) or abbreviated (one letter; none for CC). */
function columnFor(laterality: Laterality, view: MammoView, form: 'full' | 'abbreviated'): string | null {
  const lateral = laterality === 'R' ? 'L' : 'R';
  if (view === 'CC') {
    return form === 'full' ? lateral : null;
  }
  return form === 'full' ? `F${lateral}` : lateral;
}

function headerFor(laterality: Laterality, view: MammoView, form: OrientationForm, pixelsChestWall: 'left' | 'right'): string | null {
  if (form === 'absent') {
    return null;
  }
  // Contradicting: the row letter names the edge the breast is not against.
  const row = rowFor(form === 'contradicting' ? (pixelsChestWall === 'left' ? 'right' : 'left') : pixelsChestWall);
  const column = columnFor(laterality, view, form === 'abbreviated' ? 'abbreviated' : 'full');
  return column === null ? row : `${row}\\${column}`;
}

export function writeOrientationCases(out: string, seed: string): OrientationCase[] {
  const cases: OrientationCase[] = [];
  let number = 0;
  for (const form of ORIENTATION_FORMS) {
    for (const mirrored of [false, true]) {
      number += 1;
      const key = `orientation-${form}-${mirrored ? 'mirrored' : 'target'}`;
      const study: MammoStudyPlan = {
        key,
        set: 'variants',
        patient: { name: PATIENTS[number - 1]?.[0] ?? 'Unknown', birthDate: PATIENTS[number - 1]?.[1] ?? '', sex: 'F' },
        patientId: `WG-${4100 + number * 37}`,
        facility: 'Westgate Imaging',
        studyDate: '20260301',
        studyTime: '090000',
        manufacturer: 'FUJIFILM Corporation',
        model: 'AMULET Innovality',
        detectorSpacingMm: 0.05,
        magnification: 1.05,
        accession: `OR2026${number}`,
        purpose: `Patient Orientation ${form}, ${mirrored ? 'stored mirrored' : 'stored as hung'}`,
      };
      const images: MammoImagePlan[] = VIEWS.map(([laterality, view], i) => {
        const seam = laterality === 'R' ? 'right' : 'left';
        const chestWallSide = mirrored ? (seam === 'right' ? 'left' : 'right') : seam;
        return {
          laterality,
          view,
          orientation: headerFor(laterality, view, form, chestWallSide),
          layout: { chestWallSide, upsideDown: false },
          acquisitionTime: `0901${String(i * 10).padStart(2, '0')}`,
          series: `${laterality}${view}`,
          seriesNumber: i + 1,
          seriesDescription: `${laterality} ${view}`,
          headerGaps: [`orientation-${form}`],
        };
      });
      const written = writeMammoStudy(out, seed, study, images);
      cases.push({ form, mirrored, study: written.study, files: written.files });
    }
  }
  return cases;
}

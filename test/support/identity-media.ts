import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { corpus } from './environment.ts';

export interface OutsideMedium {
  path: string;
  patientId: string;
  name: string;
  birthDate: string;
  facility: string;
  studyDate: string;
}

/**
 * Media from three facilities, made from corpus files on copies with dcmtk's dcmodify (new study,
 * series and instance UIDs, so each is a study of its own):
 * - `current`: the breast CD's MR, facility A, this year;
 * - `prior`: the same woman's MR from facility B a year earlier, under another patient ID and her
 *   name spelled another way (umlaut written out, upper case);
 * - `lookAlike`: another woman with the same name from facility C, born on another day.
 */
export function buildIdentityMedia(root: string): { current: OutsideMedium; prior: OutsideMedium; lookAlike: OutsideMedium } {
  const make = (folder: string, source: string, medium: Omit<OutsideMedium, 'path'>): OutsideMedium => {
    const path = join(root, folder);
    mkdirSync(path, { recursive: true });
    const file = join(path, 'IMAGE1');
    cpSync(source, file);
    execFileSync('dcmodify', [
      '-nb', '-gst', '-gse', '-gin',
      '-i', `(0010,0020)=${medium.patientId}`,
      '-i', `(0010,0010)=${medium.name}`,
      '-i', `(0010,0030)=${medium.birthDate}`,
      '-i', '(0010,0040)=F',
      // The names are written in UTF-8: say so, or a reader takes the bytes for the default repertoire.
      '-i', '(0008,0005)=ISO_IR 192',
      '-i', `(0008,0080)=${medium.facility}`,
      '-i', `(0008,0020)=${medium.studyDate}`,
      file,
    ], { stdio: 'ignore' });
    return { path, ...medium };
  };
  return {
    current: make('facility-a', corpus('03-breast-patient-cd-mr-us-mimbcd', 'IMAGES', 'IM0'), {
      patientId: 'A-1001', name: 'Müller^Anna', birthDate: '19650412', facility: 'Clinic A', studyDate: '20240315',
    }),
    prior: make('facility-b', corpus('08-transfer-syntaxes', 'WG04_MR1_RLE.dcm'), {
      patientId: 'B-77', name: 'MUELLER^ANNA^^^', birthDate: '19650412', facility: 'Hospital B', studyDate: '20230210',
    }),
    lookAlike: make('facility-c', corpus('08-transfer-syntaxes', 'WG04_MR1_JPLL.dcm'), {
      patientId: 'C-5', name: 'Mueller^Anna', birthDate: '19700101', facility: 'Centre C', studyDate: '20220505',
    }),
  };
}

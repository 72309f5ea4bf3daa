import { execFileSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concordJson } from '../support/cli.ts';
import { corpus, haveCorpus, haveTool } from '../support/environment.ts';
import { cleanupTempDirs, tempDir } from '../support/library.ts';

interface Listed {
  studies: { patientId: string; patientName: string; studyDescription: string }[];
}

afterAll(cleanupTempDirs);

// Search as a reader types it: words apart by spaces, any case, in any order, with or without DICOM's `^`.
describe.skipIf(!haveCorpus() || !haveTool('dcmodify', 'dcmtk'))('search across ^, spaces and case (built command line)', () => {
  const library = tempDir();
  const found = (text: string): string[] =>
    concordJson<Listed>(['studies', '--library', library, '--search', text]).studies.map((s) => s.patientId).sort();

  beforeAll(() => {
    // The breast CD (its study is described "MAMA^ROTINA"), the character-set names, and one image
    // renamed "DOE^JANE^A" as a new study.
    const renamed = tempDir();
    const file = join(renamed, 'DOE');
    cpSync(corpus('03-breast-patient-cd-mr-us-mimbcd', 'IMAGES', 'IM1'), file);
    execFileSync('dcmodify', ['-nb', '-i', '(0010,0010)=DOE^JANE^A', '-i', '(0010,0020)=DOE1', '-i', '(0008,1030)=MG^BILATERAL^SCREENING',
      '-i', '(0020,000D)=1.2.826.0.1.3680043.99.21', '-i', '(0020,000E)=1.2.826.0.1.3680043.99.22', '-i', '(0008,0018)=1.2.826.0.1.3680043.99.23',
      file], { stdio: 'ignore' });
    for (const media of [corpus('03-breast-patient-cd-mr-us-mimbcd'), corpus('06-dicomdir-charsets-clunie'), renamed]) {
      concordJson(['import', media, '--library', library]);
    }
  });

  it('finds a description written with ^ however the words are typed', () => {
    const [rotina] = concordJson<Listed>(['studies', '--library', library, '--search', 'rotina']).studies;
    expect(rotina?.studyDescription).toBe('MAMA^ROTINA'); // stored exactly as received
    const cd = rotina?.patientId ?? '';
    for (const text of ['MAMA ROTINA', 'mama rotina', 'MAMA^ROTINA', 'rotina', 'Rotina  Mama', ' mama^ROTINA ']) {
      expect(found(text), text).toEqual([cd]);
    }
    expect(found('MAMA SCREENING')).toEqual([]); // every word must be found
    expect(found('bilateral screening')).toEqual(['DOE1']);
  });

  it('finds a person name written with ^ by its words, as typed or as the worklist shows it', () => {
    for (const text of ['DOE JANE', 'doe jane', 'DOE^JANE', 'jane doe', 'DOE, JANE A']) {
      expect(found(text), text).toEqual(['DOE1']);
    }
    expect(concordJson<Listed>(['studies', '--library', library, '--search', 'doe jane']).studies[0]?.patientName).toBe('DOE^JANE^A');
    expect(found('Yamada Tarou')).toEqual(['H31EXAMPLE']);
    expect(found('yamada, tarou (山田 太郎)')).toEqual(['H31EXAMPLE']);
    expect(found('山田 太郎')).toEqual(['H31EXAMPLE', 'H32EXAMPLE']);
    expect(found('hong gildong')).toEqual(['I2EXAMPLE']);
    expect(found('홍 길동')).toEqual(['I2EXAMPLE']); // words shorter than a trigram
    expect(found('aneas rudiger')).toEqual(['SCSGERM']);
    expect(found('wang xiaodong')).toEqual(['X1EXAMPLE', 'X2EXAMPLE']);
    expect(found('jane roe')).toEqual([]);
  });
});

import { openLibrary } from '../../electron/services/library/database.ts';
import { listStudies } from '../../electron/services/library/studies.ts';
import type { Actor } from '../../electron/services/reports/audit.ts';
import { saveReaderProfile } from '../../electron/services/reports/reader-profiles.ts';
import { createReport, recordOutcome, signReport } from '../../electron/services/reports/report-store.ts';
import type { BiradsCategory } from '../../shared/reports/birads.ts';
import type { ReportContent } from '../../shared/reports/report-model.ts';
import { exampleReportContent, importReportsCorpus } from './reports.ts';

/** One signed second opinion of the concordance fixture. */
export interface SignedCase {
  /** The corpus study it is about, by its description. */
  study: string;
  facility: string;
  outside: BiradsCategory;
  second: BiradsCategory;
  verdict: 'concordant' | 'minor' | 'major';
  reader: 'dr-north' | 'dr-south';
  /** When it was signed (ISO, UTC). */
  signedAt: string;
}

/** Five signed reports on the outside-report corpus: two readers, two facilities, three months. */
export const SIGNED_CASES: SignedCase[] = [
  { study: 'MR Lever', facility: 'North Clinic', outside: '2', second: '2', verdict: 'concordant', reader: 'dr-north', signedAt: '2024-01-15T10:00:00.000Z' },
  { study: 'Coronarographie', facility: 'North Clinic', outside: '3', second: '4A', verdict: 'major', reader: 'dr-north', signedAt: '2024-02-10T10:00:00.000Z' },
  { study: 'e+1', facility: 'South Imaging', outside: '4A', second: '4B', verdict: 'minor', reader: 'dr-south', signedAt: '2024-02-20T10:00:00.000Z' },
  { study: 'Thorax^TAP (Adult)', facility: 'South Imaging', outside: '2', second: '2', verdict: 'concordant', reader: 'dr-south', signedAt: '2024-03-05T10:00:00.000Z' },
  { study: 'Bilateral Mammography', facility: 'North Clinic', outside: '4A', second: '4A', verdict: 'concordant', reader: 'dr-north', signedAt: '2024-03-12T10:00:00.000Z' },
];

export const READERS = { 'dr-north': 'Dr. Nora North', 'dr-south': 'Dr. Sam South' } as const;

function contentOf(item: SignedCase): ReportContent {
  const example = exampleReportContent() as ReportContent;
  return {
    ...example,
    // The outside reading is dated before the second: a report is never dated after its signing day.
    outside: { ...example.outside, date: '20240102', facility: item.facility, facts: { ...example.outside.facts, overall: item.outside, right: null, left: null, findings: null } },
    secondOpinion: { ...example.secondOpinion, assessment: { overall: item.second, right: null, left: null }, findings: [] },
    concordance: { ...example.concordance, confirmed: item.verdict },
  };
}

/** Runs `work` with the clock reading `iso`: the report store stamps signatures with the time it reads. */
function at<T>(iso: string, work: () => T): T {
  const RealDate = Date;
  const fixed = RealDate.parse(iso);
  class FixedDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) {
        super(fixed);
      } else {
        super(...(args as [string]));
      }
    }
    static override now(): number {
      return fixed;
    }
  }
  globalThis.Date = FixedDate as DateConstructor;
  try {
    return work();
  } finally {
    globalThis.Date = RealDate;
  }
}

/**
 * A library of the outside-report corpus with SIGNED_CASES signed by two reader profiles at their
 * times, and a pathology outcome on the major discordance that supported the second opinion.
 * Returns each case's report id, in SIGNED_CASES order.
 */
export async function buildConcordanceLibrary(root: string): Promise<number[]> {
  await importReportsCorpus(root);
  const library = openLibrary(root);
  try {
    const actor: Actor = { osUser: 'tester', profileId: null };
    for (const [id, name] of Object.entries(READERS)) {
      saveReaderProfile(library.db, { id, name, credentials: 'MD', signatureLine: `${name}, MD` }, actor);
    }
    const studies = listStudies(library.db);
    return SIGNED_CASES.map((item) => {
      const study = studies.find((s) => s.studyDescription === item.study);
      if (!study) {
        throw new Error(`no study "${item.study}" in the corpus library`);
      }
      return at(item.signedAt, () => {
        const id = createReport(library.db, study.studyInstanceUid, contentOf(item), actor);
        signReport(library.db, { reportId: id, profileId: item.reader }, { ...actor, profileId: item.reader });
        if (item.verdict === 'major') {
          recordOutcome(library.db, id, { findingId: null, kind: 'pathology', result: 'malignant', date: '20240301', note: '' }, actor);
        }
        return id;
      });
    });
  } finally {
    library.close();
  }
}

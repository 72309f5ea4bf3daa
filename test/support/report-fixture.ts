import type { ReportContent, ReportFinding, Report } from '../../shared/reports/report-model.ts';
import { reportContentSchema, reportSchema } from '../../shared/reports/report-model.ts';

/**
 * A second-opinion report the report tests share: the outside reader called a left breast mass
 * probably benign (BI-RADS 3), the second opinion finds it highly suspicious (4C) with suspicious
 * calcifications, so the verdict is a major discordance. Parsed through the schema, so it is valid.
 */
export function spiculatedMass(overrides: Partial<ReportFinding> = {}): ReportFinding {
  return {
    id: 'f1',
    kind: 'mass',
    location: { laterality: 'L', clock: 2, quadrant: 'UOQ', depth: 'middle', distanceFromNippleCm: 4 },
    descriptors: { shape: 'irregular', margin: 'spiculated', density: 'high' },
    associatedFeatures: ['skin-retraction'],
    sizeMm: 14,
    change: 'new',
    kinetics: null,
    assessment: '4C',
    images: [],
    note: '',
    ...overrides,
  };
}

export function mammographyContent(): ReportContent {
  return reportContentSchema.parse({
    outside: {
      facility: 'Riverside Imaging',
      reader: 'Dr. A. Outside',
      date: '20260302',
      facts: {
        overall: '3',
        right: '1',
        left: '3',
        composition: 'b',
        findings: [{ id: 'o1', laterality: 'L', kind: 'mass', clock: 2, sizeMm: 12, assessment: '3' }],
        extentCm: null,
        priorsAvailable: false,
      },
      recommendation: 'Short-interval follow-up in 6 months',
      impression: '',
      findingsByRegion: [],
      freeText: '',
      sourceDocumentUid: null,
    },
    secondOpinion: {
      template: 'birads-mammography',
      clinicalQuestion: 'second opinion on a left breast mass',
      technique: 'Bilateral digital mammography, CC and MLO views',
      comparison: 'Mammography of 2024-02-11 from Riverside Imaging',
      priorStudyUids: [],
      composition: 'c',
      fibroglandularTissue: null,
      backgroundEnhancement: null,
      findings: [
        spiculatedMass(),
        {
          id: 'f2',
          kind: 'calcifications',
          location: { laterality: 'L', clock: 2, quadrant: 'UOQ', depth: null, distanceFromNippleCm: null },
          descriptors: { morphology: 'fine-pleomorphic', distribution: 'segmental' },
          associatedFeatures: [],
          sizeMm: null,
          change: null,
          kinetics: null,
          assessment: null,
          images: [],
          note: '',
        },
      ],
      findingsByRegion: [],
      impression: 'Suspicious left breast mass with segmental calcifications',
      assessment: { overall: '4C', right: '1', left: '4C' },
      recommendation: 'Ultrasound-guided core needle biopsy of the left breast mass',
      extentCm: null,
      priorsAvailable: true,
      narrative: '',
      narrativeEdited: false,
      keyImages: [],
    },
    concordance: {
      proposed: 'major',
      rules: [{ rule: 'biopsy-threshold', severity: 'major', scope: 'L', message: 'outside 3, second opinion 4C: short-interval follow-up (3) against tissue diagnosis (4-5)' }],
      confirmed: 'major',
      radpeer: '2b',
      reason: 'Spiculated margins and new calcifications call for tissue diagnosis',
    },
  });
}

/** A stored report around the content; signed by a reader unless `signed` is false. */
export function reportOf(content: ReportContent, signed = true): Report {
  return reportSchema.parse({
    id: 7,
    studyInstanceUid: '1.2.826.0.1.3680043.8.498.1',
    status: signed ? 'signed' : 'draft',
    content,
    revision: 3,
    createdAt: '2026-03-14T09:12:00.000Z',
    updatedAt: '2026-03-14T10:02:00.000Z',
    signature: signed
      ? { profileId: 'mreader', name: 'Maria Reader', credentials: 'MD, FRCR', signatureLine: 'Consultant Breast Radiologist', signedAt: '2026-03-14T10:05:00.000Z' }
      : null,
    addenda: [],
    communication: null,
    outcomes: [],
    exports: [],
  });
}

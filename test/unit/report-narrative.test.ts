import { describe, expect, it } from 'vitest';
import { findingSentences, generateNarrative, narrativeWarnings, recommendationBucket, secondOpinionText } from '../../shared/reports/narrative.ts';
import type { ReportContent, ReportFinding } from '../../shared/reports/report-model.ts';
import { mammographyContent, spiculatedMass } from '../support/report-fixture.ts';

function mriContent(): ReportContent {
  const content = mammographyContent();
  const nme: ReportFinding = {
    ...spiculatedMass({ id: 'm1', kind: 'non-mass-enhancement', descriptors: { distribution: 'segmental', internalPattern: 'clumped' } }),
    location: { laterality: 'R', clock: null, quadrant: 'LIQ', depth: 'posterior', distanceFromNippleCm: 6.5 },
    associatedFeatures: ['nipple-retraction'],
    sizeMm: 38,
    change: null,
    kinetics: { initial: 'fast', delayed: 'washout' },
    assessment: '4',
  };
  content.secondOpinion = {
    ...content.secondOpinion,
    template: 'birads-breast-mri',
    technique: '',
    composition: null,
    fibroglandularTissue: 'c',
    backgroundEnhancement: { level: 'mild', symmetric: true },
    findings: [nme],
    impression: '',
    assessment: { overall: '4', right: '4', left: '1' },
    recommendation: 'MRI-guided biopsy',
  };
  return content;
}

describe('report narrative', () => {
  it('words a mammography report in the order of the report skeleton, the outside report and the concordance block after it', () => {
    const narrative = generateNarrative(mammographyContent());
    expect(narrative.sections.map((section) => section.id)).toEqual([
      'procedure',
      'reason',
      'comparison',
      'composition',
      'findings',
      'impression',
      'assessment',
      'recommendation',
    ]);
    const text = (id: string): string | undefined => [...narrative.sections, ...narrative.additions].find((section) => section.id === id)?.text;
    expect(text('procedure')).toBe('Bilateral digital mammography, CC and MLO views.');
    expect(text('reason')).toBe('Second opinion on a left breast mass.');
    expect(text('composition')).toBe('The breasts are heterogeneously dense, which may obscure small masses (composition c).');
    expect(text('findings')).toBe(
      [
        "1. Left breast at 2 o'clock, upper outer quadrant, middle depth, 4 cm from the nipple: irregular high density mass with spiculated margins, measuring 14 mm, new since the prior examination. Associated features: skin retraction. Assessment: BI-RADS 4C - High suspicion for malignancy.",
        "2. Left breast at 2 o'clock, upper outer quadrant: fine pleomorphic calcifications in a segmental distribution.",
      ].join('\n'),
    );
    expect(text('assessment')).toBe(
      ['Overall: BI-RADS 4C - High suspicion for malignancy.', 'Right breast: BI-RADS 1 - Negative.', 'Left breast: BI-RADS 4C - High suspicion for malignancy.'].join('\n'),
    );
    expect(text('recommendation')).toBe('Ultrasound-guided core needle biopsy of the left breast mass.');
    expect(text('outside-report')).toBe(
      [
        'Outside report: Riverside Imaging, 2026-03-02, read by Dr. A. Outside.',
        'Outside assessment: BI-RADS 3 - Probably benign (right BI-RADS 1, left BI-RADS 3).',
        'Outside breast composition: b.',
        'Outside recommendation: Short-interval follow-up in 6 months.',
        'No prior examinations were available to the outside reader.',
      ].join('\n'),
    );
    expect(text('concordance')).toBe(
      [
        'Verdict: Major discordance.',
        'RADPEER score: 2b.',
        '- biopsy-threshold (major, L): outside 3, second opinion 4C: short-interval follow-up (3) against tissue diagnosis (4-5)',
        'Reason: Spiculated margins and new calcifications call for tissue diagnosis.',
      ].join('\n'),
    );
    expect(narrative.warnings).toEqual([]);
    expect(narrative.text.startsWith('PROCEDURE:\nBilateral digital mammography, CC and MLO views.\n\nREASON FOR EXAMINATION:\n')).toBe(true);
  });

  it('words a breast MRI finding with its distribution, pattern, kinetics and the MRI sections', () => {
    const content = mriContent();
    const narrative = generateNarrative(content);
    expect(narrative.sections.find((section) => section.id === 'composition')).toEqual({
      id: 'composition',
      title: 'Fibroglandular tissue and background enhancement',
      text: 'Amount of fibroglandular tissue: c, heterogeneous fibroglandular tissue. Background parenchymal enhancement: mild, symmetric.',
    });
    expect(narrative.sections[0]?.text).toBe('Second-opinion review of breast MRI.');
    expect(findingSentences('mri', content.secondOpinion.findings[0] as ReportFinding)).toBe(
      'Right breast, lower inner quadrant, posterior depth, 6.5 cm from the nipple: non-mass enhancement in a segmental distribution with clumped internal enhancement, measuring 38 mm. Associated features: nipple retraction. Kinetics: fast initial phase, washout delayed phase. Assessment: BI-RADS 4 - Suspicious.',
    );
    expect(narrative.warnings).toEqual([]);
  });

  it('words an other finding by its type', () => {
    const cyst = spiculatedMass({ kind: 'other', descriptors: { type: 'cyst' }, associatedFeatures: [], sizeMm: 8, change: 'stable', assessment: '2' });
    expect(findingSentences('mri', cyst)).toBe(
      "Left breast at 2 o'clock, upper outer quadrant, middle depth, 4 cm from the nipple: cyst, measuring 8 mm, stable compared with the prior examination. Assessment: BI-RADS 2 - Benign.",
    );
  });

  it('says when the concordance verdict is only proposed', () => {
    const content = mammographyContent();
    content.concordance = { ...content.concordance, confirmed: null, radpeer: null, reason: '' };
    const block = generateNarrative(content).additions.find((section) => section.id === 'concordance');
    expect(block?.text.split('\n')[0]).toBe('Verdict: Major discordance (proposed, not yet confirmed by the reader).');
    expect(block?.text).not.toContain('RADPEER');
  });

  it('warns when the recommendation does not fit the category, and falls back to the category management when none is written', () => {
    const content = mammographyContent();
    content.secondOpinion.recommendation = 'Routine annual screening mammography';
    expect(narrativeWarnings(content.secondOpinion)).toEqual([
      'The recommendation reads as routine screening, but BI-RADS 4C calls for: tissue diagnosis. Check the category or the recommendation.',
    ]);
    content.secondOpinion.recommendation = '';
    const narrative = generateNarrative(content);
    expect(narrative.warnings).toEqual([]);
    expect(narrative.sections.find((section) => section.id === 'recommendation')?.text).toBe('Tissue diagnosis.');
  });

  it('warns on subdivided 4 in MRI, an overall milder than a breast, and lexicon terms that do not belong', () => {
    const content = mriContent();
    content.secondOpinion.assessment = { overall: '3', right: '4B', left: null };
    content.secondOpinion.recommendation = '';
    (content.secondOpinion.findings[0] as ReportFinding).descriptors = { distribution: 'segmental', density: 'high' };
    expect(narrativeWarnings(content.secondOpinion)).toEqual([
      'The overall assessment (BI-RADS 3) is less worrisome than a breast\'s (BI-RADS 4B).',
      'Breast MRI uses an undivided BI-RADS 4; 4A, 4B and 4C are for mammography and ultrasound.',
      'Finding 1: "density" does not describe a non-mass enhancement (breast MRI lexicon).',
    ]);
  });

  it('reads the management a recommendation names', () => {
    expect(recommendationBucket('Stereotactic vacuum-assisted biopsy')).toBe('B3');
    expect(recommendationBucket('Diagnostic mammogram with spot compression views')).toBe('B0');
    expect(recommendationBucket('Follow-up mammogram in 6 months')).toBe('B2');
    expect(recommendationBucket('Return to annual screening')).toBe('B1');
    expect(recommendationBucket('Surgical consultation')).toBe('B6');
    expect(recommendationBucket('Clinical correlation')).toBeNull();
  });

  it("keeps the reader's edited narrative and regenerates an unedited one", () => {
    const content = mammographyContent();
    expect(secondOpinionText(content)).toContain('FINDINGS:\n1. Left breast');
    content.secondOpinion.narrative = 'My own words.';
    content.secondOpinion.narrativeEdited = true;
    expect(secondOpinionText(content)).toBe('My own words.');
  });

  it('words a general MRI report by region, without a BI-RADS assessment', () => {
    const content = mammographyContent();
    content.secondOpinion = {
      ...content.secondOpinion,
      template: 'general-mri',
      technique: '',
      clinicalQuestion: 'Knee pain after a fall',
      composition: null,
      findings: [],
      findingsByRegion: [{ region: 'Medial meniscus', text: 'horizontal tear of the posterior horn' }],
      impression: 'Medial meniscal tear',
      assessment: { overall: null, right: null, left: null },
      recommendation: 'Orthopaedic referral',
    };
    const narrative = generateNarrative(content);
    expect(narrative.sections.map((section) => `${section.title}: ${section.text}`)).toEqual([
      'Procedure: Second-opinion review of MRI.',
      'Clinical question: Knee pain after a fall.',
      'Comparison: Mammography of 2024-02-11 from Riverside Imaging.',
      'Findings: Medial meniscus: Horizontal tear of the posterior horn.',
      'Impression: Medial meniscal tear.',
      'Recommendation: Orthopaedic referral.',
    ]);
  });
});

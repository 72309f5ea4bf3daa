import { BIRADS_LABELS, BIRADS_MANAGEMENT, COMPOSITION_LABELS, bucketOf, worstCategory } from './birads.ts';
import type { BiradsCategory, ManagementBucket } from './birads.ts';
import type { ConcordanceVerdict } from './concordance.ts';
import { formatDicomDateTime } from './format.ts';
import {
  BACKGROUND_ENHANCEMENT_LABELS,
  FIBROGLANDULAR_TISSUE_LABELS,
  FINDING_KIND_LABELS,
  LOCATION_LABELS,
  associatedFeatureLabel,
  lexiconProblems,
  modalityOfTemplate,
  termLabel,
} from './lexicon.ts';
import type { Modality } from './lexicon.ts';
import type { ConcordanceRecord, OutsideReport, ReportContent, ReportFinding, SecondOpinion } from './report-model.ts';

/**
 * The report's words, generated from its structured entries: the sections of the report skeleton
 * (domain reference c.1, after DICOM PS3.17 Annex Q) in their order, then the second opinion's
 * additions (the outside report's reference and the concordance block). Deterministic: the same
 * entries always give the same text, so a regenerated narrative only changes where an entry changed.
 */

export type NarrativeSectionId =
  | 'procedure'
  | 'reason'
  | 'comparison'
  | 'composition'
  | 'findings'
  | 'impression'
  | 'assessment'
  | 'recommendation'
  | 'outside-report'
  | 'concordance';

export interface NarrativeSection {
  id: NarrativeSectionId;
  title: string;
  text: string;
}

export interface Narrative {
  /** The second opinion itself, in the order of the report skeleton. */
  sections: NarrativeSection[];
  /** The outside report's reference and the concordance block. */
  additions: NarrativeSection[];
  /** Everything as plain text: "TITLE:" lines followed by their text, sections separated by a blank line. */
  text: string;
  /** What the reader should look at before signing: a recommendation that does not fit the category, ... */
  warnings: string[];
}

export const VERDICT_LABELS: Record<ConcordanceVerdict, string> = {
  concordant: 'Concordant',
  minor: 'Minor discordance',
  major: 'Major discordance',
  indeterminate: 'Indeterminate (an assessment is missing)',
};

/** The verdict that stands: the reader's when confirmed, else Concord's proposal. */
export function effectiveVerdict(record: ConcordanceRecord): ConcordanceVerdict {
  return record.confirmed ?? record.proposed;
}

/** "BI-RADS 4C - High suspicion for malignancy". */
export function categoryText(category: BiradsCategory): string {
  return `BI-RADS ${category} - ${BIRADS_LABELS[category]}`;
}

/** "2026-03-14" for a DICOM date, "date not recorded" for none. */
function dateText(date: string): string {
  return date ? formatDicomDateTime(date, 'DATE') : 'date not recorded';
}

function sentence(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) {
    return '';
  }
  const capitalised = trimmed[0]?.toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

function numberText(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** "right breast at 10 o'clock, upper outer quadrant, middle depth, 4 cm from the nipple". */
export function locationText(location: ReportFinding['location']): string {
  let text = `${LOCATION_LABELS.laterality[location.laterality]} breast`;
  if (location.clock !== null) {
    text += ` at ${location.clock} o'clock`;
  }
  const parts = [text];
  if (location.quadrant !== null) {
    parts.push(LOCATION_LABELS.quadrant[location.quadrant]);
  }
  if (location.depth !== null) {
    parts.push(LOCATION_LABELS.depth[location.depth]);
  }
  if (location.distanceFromNippleCm !== null) {
    parts.push(`${numberText(location.distanceFromNippleCm)} cm from the nipple`);
  }
  return parts.join(', ');
}

/** A descriptor's label in the finding's lexicon; an unknown code is shown as written (and warned about). */
function term(modality: Modality | null, finding: ReportFinding, descriptor: string): string | null {
  const code = finding.descriptors[descriptor];
  if (code === undefined) {
    return null;
  }
  return (modality && termLabel(modality, finding.kind, descriptor, code)) ?? code;
}

/** The finding described in the lexicon's words, e.g. "irregular high density mass with spiculated margins". */
export function findingDescription(modality: Modality | null, finding: ReportFinding): string {
  const word = (descriptor: string): string | null => term(modality, finding, descriptor);
  const kind = FINDING_KIND_LABELS[finding.kind];
  switch (finding.kind) {
    case 'mass': {
      const head = [word('shape'), modality === 'mammography' ? word('density') : null, kind].filter(Boolean).join(' ');
      const margin = word('margin');
      const enhancement = modality === 'mri' ? word('internalEnhancement') : null;
      const withParts = [margin ? `${margin} margins` : null, enhancement].filter(Boolean);
      return withParts.length > 0 ? `${head} with ${withParts.join(' and ')}` : head;
    }
    case 'calcifications': {
      const morphology = word('morphology');
      const distribution = word('distribution');
      return `${morphology ? `${morphology} ` : ''}${kind}${distribution ? ` in a ${distribution} distribution` : ''}`;
    }
    case 'asymmetry':
    case 'other':
      return word('type') ?? kind;
    case 'non-mass-enhancement': {
      const distribution = word('distribution');
      const pattern = word('internalPattern');
      return `${kind}${distribution ? ` in a ${distribution} distribution` : ''}${pattern ? ` with ${pattern} internal enhancement` : ''}`;
    }
    default:
      return kind;
  }
}

const CHANGE_WORDS: Record<NonNullable<ReportFinding['change']>, string> = {
  new: 'new since the prior examination',
  larger: 'larger than on the prior examination',
  smaller: 'smaller than on the prior examination',
  stable: 'stable compared with the prior examination',
  'not-compared': 'not compared with a prior examination',
};

/** One finding as the report words it: where, what, size, change, associated features, kinetics, assessment. */
export function findingSentences(modality: Modality | null, finding: ReportFinding): string {
  const what = [findingDescription(modality, finding)];
  if (finding.sizeMm !== null) {
    what.push(`measuring ${numberText(finding.sizeMm)} mm`);
  }
  if (finding.change !== null) {
    what.push(CHANGE_WORDS[finding.change]);
  }
  const sentences = [sentence(`${locationText(finding.location)}: ${what.join(', ')}`)];
  if (finding.associatedFeatures.length > 0) {
    const features = finding.associatedFeatures.map((feature) => (modality && associatedFeatureLabel(modality, feature)) ?? feature);
    sentences.push(sentence(`Associated features: ${features.join(', ')}`));
  }
  if (finding.kinetics && (finding.kinetics.initial || finding.kinetics.delayed)) {
    const phases = [
      finding.kinetics.initial ? `${finding.kinetics.initial} initial phase` : null,
      finding.kinetics.delayed ? `${finding.kinetics.delayed} delayed phase` : null,
    ].filter(Boolean);
    sentences.push(sentence(`Kinetics: ${phases.join(', ')}`));
  }
  if (finding.note.trim()) {
    sentences.push(sentence(finding.note));
  }
  if (finding.assessment !== null) {
    sentences.push(sentence(`Assessment: ${categoryText(finding.assessment)}`));
  }
  return sentences.join(' ');
}

const TEMPLATE_PROCEDURES: Record<SecondOpinion['template'], string> = {
  'birads-mammography': 'Second-opinion review of bilateral mammography',
  'birads-breast-mri': 'Second-opinion review of breast MRI',
  'general-mri': 'Second-opinion review of MRI',
};

function compositionSection(opinion: SecondOpinion, modality: Modality | null): NarrativeSection | null {
  if (modality === 'mammography' && opinion.composition) {
    return { id: 'composition', title: 'Breast composition', text: sentence(`${COMPOSITION_LABELS[opinion.composition]} (composition ${opinion.composition})`) };
  }
  if (modality === 'mri' && (opinion.fibroglandularTissue || opinion.backgroundEnhancement)) {
    const parts: string[] = [];
    if (opinion.fibroglandularTissue) {
      parts.push(sentence(`Amount of fibroglandular tissue: ${opinion.fibroglandularTissue}, ${FIBROGLANDULAR_TISSUE_LABELS[opinion.fibroglandularTissue]}`));
    }
    if (opinion.backgroundEnhancement) {
      const { level, symmetric } = opinion.backgroundEnhancement;
      parts.push(sentence(`Background parenchymal enhancement: ${BACKGROUND_ENHANCEMENT_LABELS[level]}, ${symmetric ? 'symmetric' : 'asymmetric'}`));
    }
    return { id: 'composition', title: 'Fibroglandular tissue and background enhancement', text: parts.join(' ') };
  }
  return null;
}

function findingsText(opinion: SecondOpinion, modality: Modality | null): string {
  const lines = opinion.findings.map((finding, index) => `${index + 1}. ${findingSentences(modality, finding)}`);
  lines.push(...opinion.findingsByRegion.filter((region) => region.text.trim()).map((region) => `${region.region}: ${sentence(region.text)}`));
  return lines.length > 0 ? lines.join('\n') : 'No significant findings.';
}

function assessmentText(assessment: SecondOpinion['assessment']): string | null {
  const lines: string[] = [];
  if (assessment.overall) {
    lines.push(`Overall: ${categoryText(assessment.overall)}.`);
  }
  if (assessment.right) {
    lines.push(`Right breast: ${categoryText(assessment.right)}.`);
  }
  if (assessment.left) {
    lines.push(`Left breast: ${categoryText(assessment.left)}.`);
  }
  return lines.length > 0 ? lines.join('\n') : null;
}

/** The overall category a report stands for: stated, else its worse breast. */
export function overallCategory(assessment: { overall: BiradsCategory | null; right: BiradsCategory | null; left: BiradsCategory | null }): BiradsCategory | null {
  return assessment.overall ?? worstCategory([assessment.right, assessment.left]);
}

/**
 * The management bucket a free-text recommendation names, from its words; null when it names none
 * Concord recognises (then nothing is checked). Tissue diagnosis is looked for first: "biopsy, then
 * routine screening if benign" recommends a biopsy.
 */
export function recommendationBucket(recommendation: string): ManagementBucket | null {
  const text = recommendation.toLowerCase();
  const rules: [ManagementBucket, RegExp][] = [
    ['B3', /\b(biops(y|ies)|tissue (diagnosis|sampling)|core needle|fine[- ]needle|vacuum[- ]assisted|fna)\b/],
    ['B6', /\b(surg(ery|ical)|excision|lumpectomy|mastectomy|oncolog)/],
    ['B2', /\b(short[- ]interval|(6|six)[- ]months?|follow[- ]up in \d+ months?|surveillance)\b/],
    ['B0', /\b(additional (imaging|views?|evaluation)|recall|spot compression|magnification|diagnostic mammo|targeted ultrasound|prior (mammograms|examinations|studies) for comparison)/],
    ['B1', /\b(routine|annual|screening)\b/],
  ];
  return rules.find(([, pattern]) => pattern.test(text))?.[0] ?? null;
}

const BUCKET_NAMES: Record<ManagementBucket, string> = {
  B0: 'additional imaging',
  B1: 'routine screening',
  B2: 'short-interval follow-up',
  B3: 'tissue diagnosis',
  B6: 'treatment of a known cancer',
};

/** Warnings on the second opinion's entries; each says what to look at. */
export function narrativeWarnings(opinion: SecondOpinion): string[] {
  const warnings: string[] = [];
  const modality = modalityOfTemplate(opinion.template);
  const overall = overallCategory(opinion.assessment);
  if (overall && opinion.recommendation.trim()) {
    const named = recommendationBucket(opinion.recommendation);
    const expected = bucketOf(overall);
    if (named !== null && named !== expected) {
      warnings.push(
        `The recommendation reads as ${BUCKET_NAMES[named]}, but BI-RADS ${overall} calls for: ${BIRADS_MANAGEMENT[overall].toLowerCase()}. Check the category or the recommendation.`,
      );
    }
  }
  const worstSide = worstCategory([opinion.assessment.right, opinion.assessment.left]);
  if (opinion.assessment.overall && worstSide && worstCategory([opinion.assessment.overall, worstSide]) !== opinion.assessment.overall) {
    warnings.push(`The overall assessment (BI-RADS ${opinion.assessment.overall}) is less worrisome than a breast's (BI-RADS ${worstSide}).`);
  }
  if (modality === 'mri') {
    const subdivided = [opinion.assessment.overall, opinion.assessment.right, opinion.assessment.left, ...opinion.findings.map((finding) => finding.assessment)].filter(
      (category) => category === '4A' || category === '4B' || category === '4C',
    );
    if (subdivided.length > 0) {
      warnings.push('Breast MRI uses an undivided BI-RADS 4; 4A, 4B and 4C are for mammography and ultrasound.');
    }
  }
  if (modality) {
    opinion.findings.forEach((finding, index) => {
      for (const problem of lexiconProblems(modality, finding)) {
        warnings.push(`Finding ${index + 1}: ${problem}.`);
      }
      if (finding.descriptors.type === 'developing' && opinion.priorsAvailable === false) {
        warnings.push(`Finding ${index + 1}: a developing asymmetry needs prior examinations, and none were available.`);
      }
    });
  }
  return warnings;
}

function secondOpinionSections(opinion: SecondOpinion): NarrativeSection[] {
  const modality = modalityOfTemplate(opinion.template);
  const general = opinion.template === 'general-mri';
  const overall = overallCategory(opinion.assessment);
  const sections: (NarrativeSection | null)[] = [
    { id: 'procedure', title: 'Procedure', text: sentence(opinion.technique) || sentence(TEMPLATE_PROCEDURES[opinion.template]) },
    opinion.clinicalQuestion.trim() ? { id: 'reason', title: general ? 'Clinical question' : 'Reason for examination', text: sentence(opinion.clinicalQuestion) } : null,
    { id: 'comparison', title: 'Comparison', text: sentence(opinion.comparison) || (opinion.priorsAvailable === false ? 'No prior examinations were available.' : 'None.') },
    compositionSection(opinion, modality),
    { id: 'findings', title: 'Findings', text: findingsText(opinion, modality) },
    opinion.impression.trim() ? { id: 'impression', title: 'Impression', text: sentence(opinion.impression) } : null,
  ];
  const assessment = assessmentText(opinion.assessment);
  if (assessment) {
    sections.push({ id: 'assessment', title: 'Overall assessment', text: assessment });
  }
  const recommendation = sentence(opinion.recommendation) || (overall ? sentence(BIRADS_MANAGEMENT[overall]) : '');
  if (recommendation) {
    sections.push({ id: 'recommendation', title: 'Recommendation', text: recommendation });
  }
  return sections.filter((section): section is NarrativeSection => section !== null);
}

/** "BI-RADS 4A - Low suspicion for malignancy (right BI-RADS 4A, left BI-RADS 1)", or "not recorded". */
export function readingAssessmentText(assessment: { overall: BiradsCategory | null; right: BiradsCategory | null; left: BiradsCategory | null }): string {
  const overall = overallCategory(assessment);
  if (!overall) {
    return 'not recorded';
  }
  const sides = [assessment.right ? `right BI-RADS ${assessment.right}` : null, assessment.left ? `left BI-RADS ${assessment.left}` : null].filter(Boolean);
  return `${categoryText(overall)}${sides.length > 0 ? ` (${sides.join(', ')})` : ''}`;
}

function outsideSection(outside: OutsideReport): NarrativeSection {
  const lines = [
    sentence(`Outside report: ${outside.facility.trim() || 'facility not recorded'}, ${dateText(outside.date)}, read by ${outside.reader.trim() || 'reader not recorded'}`),
    sentence(`Outside assessment: ${readingAssessmentText(outside.facts)}`),
  ];
  if (outside.facts.composition) {
    lines.push(sentence(`Outside breast composition: ${outside.facts.composition}`));
  }
  if (outside.impression.trim()) {
    lines.push(sentence(`Outside impression: ${outside.impression}`));
  }
  lines.push(sentence(`Outside recommendation: ${outside.recommendation.trim() || 'not recorded'}`));
  if (outside.facts.priorsAvailable !== null) {
    lines.push(outside.facts.priorsAvailable ? 'Prior examinations were available to the outside reader.' : 'No prior examinations were available to the outside reader.');
  }
  return { id: 'outside-report', title: 'Outside report', text: lines.join('\n') };
}

function concordanceSection(record: ConcordanceRecord): NarrativeSection {
  const verdict = effectiveVerdict(record);
  const lines = [sentence(`Verdict: ${VERDICT_LABELS[verdict]}${record.confirmed ? '' : ' (proposed, not yet confirmed by the reader)'}`)];
  if (record.radpeer) {
    lines.push(`RADPEER score: ${record.radpeer}.`);
  }
  for (const rule of record.rules) {
    lines.push(`- ${rule.rule} (${rule.severity}, ${rule.scope}): ${rule.message}`);
  }
  if (record.reason.trim()) {
    lines.push(sentence(`Reason: ${record.reason}`));
  }
  return { id: 'concordance', title: 'Concordance with the outside report', text: lines.join('\n') };
}

export function sectionsText(sections: NarrativeSection[]): string {
  return sections.map((section) => `${section.title.toUpperCase()}:\n${section.text}`).join('\n\n');
}

export function generateNarrative(content: ReportContent): Narrative {
  const sections = secondOpinionSections(content.secondOpinion);
  const additions = [outsideSection(content.outside), concordanceSection(content.concordance)];
  return { sections, additions, text: sectionsText([...sections, ...additions]), warnings: narrativeWarnings(content.secondOpinion) };
}

/** The second opinion's text as it is signed: the reader's edit when there is one, else the generated one. */
export function secondOpinionText(content: ReportContent): string {
  const opinion = content.secondOpinion;
  return opinion.narrativeEdited && opinion.narrative.trim() ? opinion.narrative : sectionsText(secondOpinionSections(opinion));
}

import type { BiradsCategory } from '../../../shared/reports/birads.ts';
import { BIRADS_CATEGORIES, BIRADS_LABELS, bucketOf } from '../../../shared/reports/birads.ts';
import type { ConcordanceVerdict } from '../../../shared/reports/concordance.ts';
import { modalityOfTemplate } from '../../../shared/reports/lexicon.ts';
import { VERDICT_LABELS, effectiveVerdict, findingSentences, generateNarrative, overallCategory, secondOpinionText } from '../../../shared/reports/narrative.ts';
import type { ImageReference } from '../../../shared/reports/report-model.ts';
import { commonModules, dicomDateTime, fitted, personName, reportSeriesDescription, writePart10 } from './dicom-writer.ts';
import { reportFacts } from './export-facts.ts';
import type { ExportContext, ExportUids, ReferencedInstance } from './exports.ts';

/**
 * The report as an Enhanced SR following TID 2000 (Basic Diagnostic Imaging Report) with the breast
 * imaging assessment of TID 4203: root "Diagnostic Imaging Report", language, the signer as observer,
 * sections titled from CID 7001 in the order a report reads (Request, Current and Prior Procedure
 * Descriptions, Previous Findings (the outside report), Findings, Impressions, Recommendations,
 * Communication of Critical Results, Addendum), the BI-RADS assessment coded overall and per breast
 * (CID 6027), the recommended follow-up coded (CID 6028), the narrative as TEXT, and the concordance
 * verdict, which no DICOM template has, as a CODE item of a private coding scheme. Every signer (the
 * report's and each addendum's) is a verifying observer. dcmjs has no TID 2000 or 4200 classes: the
 * tree is built here from content items.
 */

interface Code {
  /** At most 16 characters (SH). */
  value: string;
  scheme: string;
  meaning: string;
}

/** The BI scheme names BI-RADS codes of several editions, so its items say which (Coding Scheme Version is 1C). */
const SCHEME_VERSIONS: Record<string, string> = { BI: '4th edition' };

const ENHANCED_SR = '1.2.840.10008.5.1.4.1.1.88.22';
export const CONCORD_SCHEME = '99CONCORD';

const code = (value: string, scheme: string, meaning: string): Code => ({ value, scheme, meaning });

export const SR_CODES = {
  report: code('18748-4', 'LN', 'Diagnostic Imaging Report'),
  language: code('121049', 'DCM', 'Language of Content Item and Descendants'),
  english: code('en-US', 'RFC5646', 'English (United States)'),
  observerType: code('121005', 'DCM', 'Observer Type'),
  person: code('121006', 'DCM', 'Person'),
  personObserverName: code('121008', 'DCM', 'Person Observer Name'),
  // Section headings: CID 7001 (LOINC); the observations in them: CID 7002.
  requestSection: code('55115-0', 'LN', 'Request'),
  request: code('55115-0', 'LN', 'Request'),
  procedureSection: code('55111-9', 'LN', 'Current Procedure Descriptions'),
  procedureDescription: code('121065', 'DCM', 'Procedure Description'),
  priorProceduresSection: code('55114-3', 'LN', 'Prior Procedure Descriptions'),
  previousFindingsSection: code('18834-2', 'LN', 'Previous Findings'),
  previousFinding: code('121069', 'DCM', 'Previous Finding'),
  findingsSection: code('59776-5', 'LN', 'Findings'),
  finding: code('121071', 'DCM', 'Finding'),
  impressionsSection: code('19005-8', 'LN', 'Impressions'),
  impression: code('121073', 'DCM', 'Impression'),
  recommendationsSection: code('18783-1', 'LN', 'Recommendations'),
  recommendation: code('121075', 'DCM', 'Recommendation'),
  communicationSection: code('73568-8', 'LN', 'Communication of Critical Results'),
  addendum: code('55107-7', 'LN', 'Addendum'),
  keyImage: code('121080', 'DCM', 'Best illustration of finding'),
  assessmentCategory: code('111005', 'DCM', 'Assessment Category'),
  laterality: code('272741003', 'SCT', 'Laterality'),
  right: code('24028007', 'SCT', 'Right'),
  left: code('7771000', 'SCT', 'Left'),
  verdict: code('concordance', CONCORD_SCHEME, 'Concordance with outside report'),
  radpeer: code('radpeer', CONCORD_SCHEME, 'RADPEER score'),
  concordanceReason: code('verdict-reason', CONCORD_SCHEME, 'Concordance reason'),
} as const;

/**
 * CID 6027 Assessment from BI-RADS: SNOMED CT where it has the category, the ACR's BI scheme for 4A-4C
 * and 6. Code value and scheme identify the category; the Code Meaning is text for display (PS3.3
 * 8.3.3), so it is the label the report pane shows (BI-RADS 5th edition), not a second wording of it.
 */
const BIRADS_CODE_VALUES: Record<BiradsCategory, [string, string]> = {
  '0': ['397138000', 'SCT'],
  '1': ['397140005', 'SCT'],
  '2': ['397141009', 'SCT'],
  '3': ['397143007', 'SCT'],
  '4': ['397144001', 'SCT'],
  '4A': ['MA.II.A.5.4A', 'BI'],
  '4B': ['MA.II.A.5.4B', 'BI'],
  '4C': ['MA.II.A.5.4C', 'BI'],
  '5': ['397145000', 'SCT'],
  '6': ['MA.II.A.5.6', 'BI'],
};

export const BIRADS_ASSESSMENT_CODES = Object.fromEntries(
  BIRADS_CATEGORIES.map((category) => {
    const [value, scheme] = BIRADS_CODE_VALUES[category];
    return [category, code(value, scheme, `${category} - ${BIRADS_LABELS[category]}`)];
  }),
) as Record<BiradsCategory, Code>;

/** CID 6028 Mammography Recommended Follow-up, by the management the category stands for. */
export function recommendationCode(category: BiradsCategory): Code {
  if (category === '5') {
    return code('111149', 'DCM', 'Highly suggestive of malignancy - take appropriate action');
  }
  if (category === '4C') {
    return code('111148', 'DCM', 'Biopsy should be strongly considered');
  }
  switch (bucketOf(category)) {
    case 'B0':
      return code('386053000', 'SCT', 'Evaluation procedure');
    case 'B1':
      return code('111140', 'DCM', 'Normal interval follow-up');
    case 'B2':
      return code('111142', 'DCM', 'Follow-up at short interval (1-11 months)');
    case 'B6':
      return code('111122', 'DCM', 'Known biopsy proven malignancy - take appropriate action');
    default:
      return code('111143', 'DCM', 'Biopsy should be considered');
  }
}

export const VERDICT_CODES: Record<ConcordanceVerdict, Code> = {
  concordant: code('concordant', CONCORD_SCHEME, VERDICT_LABELS.concordant),
  minor: code('minor', CONCORD_SCHEME, VERDICT_LABELS.minor),
  major: code('major', CONCORD_SCHEME, VERDICT_LABELS.major),
  indeterminate: code('indeterminate', CONCORD_SCHEME, 'Indeterminate'),
};

type Item = Record<string, unknown>;

function codeSequence(concept: Code): Item[] {
  const version = SCHEME_VERSIONS[concept.scheme];
  return [{ CodeValue: concept.value, CodingSchemeDesignator: concept.scheme, ...(version ? { CodingSchemeVersion: version } : {}), CodeMeaning: fitted(concept.meaning, 64) }];
}

function item(relationship: string, valueType: string, concept: Code, value: Item): Item {
  return { RelationshipType: relationship, ValueType: valueType, ConceptNameCodeSequence: codeSequence(concept), ...value };
}

function text(concept: Code, value: string, relationship = 'CONTAINS'): Item {
  return item(relationship, 'TEXT', concept, { TextValue: value });
}

function coded(concept: Code, value: Code, relationship = 'CONTAINS', children: Item[] = []): Item {
  return item(relationship, 'CODE', concept, { ConceptCodeSequence: codeSequence(value), ...(children.length > 0 ? { ContentSequence: children } : {}) });
}

function container(concept: Code, children: Item[]): Item {
  return item('CONTAINS', 'CONTAINER', concept, { ContinuityOfContent: 'SEPARATE', ContentSequence: children });
}

/** The evidence sequences' shape: study, series, instances (Hierarchical SOP Instance Reference Macro). */
function hierarchicalReferences(instances: ReferencedInstance[], studyInstanceUid: string): Item[] {
  const studies = new Map<string, Map<string, ReferencedInstance[]>>();
  for (const instance of instances) {
    const study = instance.studyInstanceUid ?? studyInstanceUid;
    const series = studies.get(study) ?? new Map<string, ReferencedInstance[]>();
    series.set(instance.seriesInstanceUid, [...(series.get(instance.seriesInstanceUid) ?? []), instance]);
    studies.set(study, series);
  }
  return [...studies].map(([study, series]) => ({
    StudyInstanceUID: study,
    ReferencedSeriesSequence: [...series].map(([seriesUid, members]) => ({
      SeriesInstanceUID: seriesUid,
      ReferencedSOPSequence: members.map((member) => ({ ReferencedSOPClassUID: member.sopClassUid, ReferencedSOPInstanceUID: member.sopInstanceUid })),
    })),
  }));
}

function sectionText(narrativeSections: { id: string; text: string }[], id: string): string {
  return narrativeSections.find((section) => section.id === id)?.text ?? '';
}

function assessmentItems(assessment: { overall: BiradsCategory | null; right: BiradsCategory | null; left: BiradsCategory | null }): Item[] {
  const items: Item[] = [];
  const overall = overallCategory(assessment);
  if (overall) {
    items.push(coded(SR_CODES.assessmentCategory, BIRADS_ASSESSMENT_CODES[overall]));
  }
  for (const [category, side] of [
    [assessment.right, SR_CODES.right],
    [assessment.left, SR_CODES.left],
  ] as const) {
    if (category) {
      items.push(coded(SR_CODES.assessmentCategory, BIRADS_ASSESSMENT_CODES[category], 'CONTAINS', [coded(SR_CODES.laterality, side, 'HAS CONCEPT MOD')]));
    }
  }
  return items;
}

/** TID 1002 Observer Context for a person: observer type and name. */
function observerItems(name: string): Item[] {
  return [coded(SR_CODES.observerType, SR_CODES.person, 'HAS OBS CONTEXT'), item('HAS OBS CONTEXT', 'PNAME', SR_CODES.personObserverName, { PersonName: personName(name) })];
}

/** Verifying Organization is Type 1: a signer whose profile names no institution still needs a value. */
export const INSTITUTION_NOT_RECORDED = 'Reading institution not recorded';

/** One Verifying Observer Sequence item per signer: the report's and every addendum's, in signing order. */
function verifyingObservers(report: ExportContext['report']): Item[] {
  const signatures = report.signature ? [report.signature, ...report.addenda.map((addendum) => addendum.signature)] : [];
  return signatures.map((signature) => ({
    VerifyingObserverName: personName(signature.name),
    VerifyingObserverIdentificationCodeSequence: [],
    VerifyingOrganization: fitted(signature.institution?.trim() || INSTITUTION_NOT_RECORDED, 64),
    VerificationDateTime: dicomDateTime(new Date(signature.signedAt)).dateTime,
  }));
}

export function buildReportSr(context: ExportContext, uids: ExportUids): Buffer {
  const { report } = context;
  const { outside, secondOpinion, concordance } = report.content;
  const narrative = generateNarrative(report.content);
  const instances = context.studyInstances ?? [];
  const byUid = new Map(instances.map((instance) => [instance.sopInstanceUid, instance]));
  const outsideDocument = outside.sourceDocumentUid ? (byUid.get(outside.sourceDocumentUid) ?? null) : null;
  // Concord's own earlier exports of this report are its predecessors, not evidence the reader reviewed.
  const exported = new Set([...report.exports.map((entry) => entry.sopInstanceUid), uids.sopInstanceUid]);
  const predecessors = report.exports.flatMap((entry) => {
    const instance = entry.kind === 'sr' ? byUid.get(entry.sopInstanceUid) : undefined;
    return instance ? [instance] : [];
  });
  const reviewed = instances.filter((instance) => instance !== outsideDocument && !exported.has(instance.sopInstanceUid));

  const observer = report.signature ? observerItems(report.signature.name) : [];

  /** An IMAGE item for a referenced image; none when the library did not say what the image is. */
  const imageItems = (reference: ImageReference, relationship: string): Item[] => {
    const instance = byUid.get(reference.sopInstanceUid);
    if (!instance) {
      return [];
    }
    const referenced: Item = { ReferencedSOPClassUID: instance.sopClassUid, ReferencedSOPInstanceUID: instance.sopInstanceUid };
    if (reference.frame !== null) {
      referenced.ReferencedFrameNumber = reference.frame;
    }
    return [item(relationship, 'IMAGE', SR_CODES.keyImage, { ReferencedSOPSequence: [referenced] })];
  };

  // Each finding as its own TEXT with its side, its assessment and the images it was seen on.
  const modality = modalityOfTemplate(secondOpinion.template);
  const findingItems = secondOpinion.findings.map((finding, index) => {
    const properties = [coded(SR_CODES.laterality, finding.location.laterality === 'R' ? SR_CODES.right : SR_CODES.left, 'HAS PROPERTIES')];
    if (finding.assessment) {
      properties.push(coded(SR_CODES.assessmentCategory, BIRADS_ASSESSMENT_CODES[finding.assessment], 'HAS PROPERTIES'));
    }
    const images = finding.images.flatMap((reference) => imageItems(reference, 'INFERRED FROM'));
    return { ...text(SR_CODES.finding, `${index + 1}. ${findingSentences(modality, finding)}`), ContentSequence: [...properties, ...images] };
  });
  const regionItems = secondOpinion.findingsByRegion.filter((region) => region.text.trim()).map((region) => text(SR_CODES.finding, `${region.region}: ${region.text}`));
  // The reader's edited narrative is the report's text as signed; the structured items follow it either way.
  const edited = secondOpinion.narrativeEdited && secondOpinion.narrative.trim() !== '';
  const narrativeItems = (edited ? [secondOpinionText(report.content)] : [sectionText(narrative.sections, 'composition')].filter(Boolean)).map((value) =>
    text(SR_CODES.finding, value),
  );
  const nothingFound = findingItems.length === 0 && regionItems.length === 0 ? [text(SR_CODES.finding, sectionText(narrative.sections, 'findings'))] : [];
  const keyImageItems = context.keyImages.flatMap(({ reference }) => imageItems(reference, 'CONTAINS'));

  const verdict = effectiveVerdict(concordance);
  const impressions: Item[] = [];
  const impressionText = sectionText(narrative.sections, 'impression');
  if (impressionText) {
    impressions.push(text(SR_CODES.impression, impressionText));
  }
  impressions.push(...assessmentItems(secondOpinion.assessment));
  impressions.push(coded(SR_CODES.verdict, VERDICT_CODES[verdict]));
  if (concordance.radpeer) {
    impressions.push(coded(SR_CODES.radpeer, code(`radpeer-${concordance.radpeer}`, CONCORD_SCHEME, `RADPEER ${concordance.radpeer}`)));
  }
  impressions.push(text(SR_CODES.concordanceReason, narrative.additions[1]?.text ?? ''));

  const recommendations: Item[] = [];
  const overall = overallCategory(secondOpinion.assessment);
  if (overall) {
    recommendations.push(coded(SR_CODES.recommendation, recommendationCode(overall)));
  }
  const recommendationText = sectionText(narrative.sections, 'recommendation');
  if (recommendationText) {
    recommendations.push(text(SR_CODES.recommendation, recommendationText));
  }

  // The outside report is the previous reading of these images: its reference, findings and text.
  const facts = reportFacts(context);
  const previousFindings = [
    narrative.additions[0]?.text ?? '',
    ...facts.outsideFindings,
    facts.outsideFreeText ? `Outside report text as recorded:\n${facts.outsideFreeText}` : '',
  ]
    .filter(Boolean)
    .map((value) => text(SR_CODES.previousFinding, value));

  // TID 2000's sections in the order a report reads; a section with nothing to say is left out.
  const requestText = edited ? '' : sectionText(narrative.sections, 'reason');
  const comparisonText = edited ? '' : sectionText(narrative.sections, 'comparison');
  const sections: [Code, Item[]][] = [
    [SR_CODES.requestSection, requestText ? [text(SR_CODES.request, requestText)] : []],
    [SR_CODES.procedureSection, [text(SR_CODES.procedureDescription, sectionText(narrative.sections, 'procedure'))]],
    [SR_CODES.priorProceduresSection, comparisonText ? [text(SR_CODES.procedureDescription, comparisonText)] : []],
    [SR_CODES.previousFindingsSection, previousFindings],
    [SR_CODES.findingsSection, [...narrativeItems, ...findingItems, ...regionItems, ...nothingFound, ...keyImageItems]],
    [SR_CODES.impressionsSection, impressions],
    [SR_CODES.recommendationsSection, recommendations],
    [SR_CODES.communicationSection, facts.communication ? [text(SR_CODES.communicationSection, facts.communication)] : []],
  ];
  const content: Item[] = [
    coded(SR_CODES.language, SR_CODES.english, 'HAS CONCEPT MOD'),
    ...observer,
    ...sections.filter(([, items]) => items.length > 0).map(([heading, items]) => container(heading, items)),
  ];
  // Each addendum says who signed it (the verifying observers list every signer as well).
  for (const addendum of report.addenda) {
    content.push(container(SR_CODES.addendum, [...observerItems(addendum.signature.name), text(SR_CODES.finding, addendum.text)]));
  }

  const dataset: Record<string, unknown> = {
    ...commonModules(context, uids, { sopClassUid: ENHANCED_SR, modality: 'SR', seriesNumber: 990, seriesDescription: reportSeriesDescription(report) }),
    CodingSchemeIdentificationSequence: [
      { CodingSchemeDesignator: CONCORD_SCHEME, CodingSchemeName: 'Concord second-opinion concordance', CodingSchemeResponsibleOrganization: 'Concord' },
      { CodingSchemeDesignator: 'BI', CodingSchemeName: 'American College of Radiology BI-RADS' },
    ],
    ReferencedPerformedProcedureStepSequence: [],
    PerformedProcedureCodeSequence: [],
    ValueType: 'CONTAINER',
    ConceptNameCodeSequence: codeSequence(SR_CODES.report),
    ContinuityOfContent: 'SEPARATE',
    ContentTemplateSequence: [{ MappingResource: 'DCMR', TemplateIdentifier: '2000' }],
    CompletionFlag: report.signature ? 'COMPLETE' : 'PARTIAL',
    VerificationFlag: report.signature ? 'VERIFIED' : 'UNVERIFIED',
    ContentSequence: content,
  };
  if (report.signature) {
    dataset.VerifyingObserverSequence = verifyingObservers(report);
  }
  if (reviewed.length > 0) {
    dataset.CurrentRequestedProcedureEvidenceSequence = hierarchicalReferences(reviewed, context.study.studyInstanceUid);
  }
  if (predecessors.length > 0) {
    dataset.PredecessorDocumentsSequence = hierarchicalReferences(predecessors, context.study.studyInstanceUid);
  }
  if (outsideDocument) {
    dataset.PertinentOtherEvidenceSequence = hierarchicalReferences([outsideDocument], context.study.studyInstanceUid);
  }
  return writePart10(dataset);
}

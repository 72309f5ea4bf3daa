import { formatHeaderText, formatPersonName, plainText } from '../../../shared/dicom/display-text.ts';
import { formatDicomDateTime } from '../../../shared/reports/format.ts';
import type { NarrativeSection } from '../../../shared/reports/narrative.ts';
import { VERDICT_LABELS, effectiveVerdict, generateNarrative, readingAssessmentText, secondOpinionText } from '../../../shared/reports/narrative.ts';
import type { BiradsCategory } from '../../../shared/reports/birads.ts';
import type { FindingFact } from '../../../shared/reports/concordance.ts';
import { amendmentLabel, reportVersion } from '../../../shared/reports/export-versions.ts';
import { FINDING_KIND_LABELS, LOCATION_LABELS } from '../../../shared/reports/lexicon.ts';
import type { OutsideReport, Report } from '../../../shared/reports/report-model.ts';
import type { ExportContext } from './exports.ts';

/**
 * What every export of a report says, worded once: the text, the PDF and the Encapsulated PDF print
 * the same facts. Header values from DICOM files are untrusted: shown as plain text and bounded.
 */

const HEADER_LIMIT = 160;

/** Header text for a document: control characters dropped, `^` as spaces, at most `limit` characters. */
export function headerValue(value: string, limit = HEADER_LIMIT): string {
  const text = formatHeaderText(value);
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

function dateValue(value: string): string {
  return /^\d{8}$/.test(value) ? formatDicomDateTime(value, 'DATE') : headerValue(value, 16);
}

/** "2026-03-14 10:05 UTC" from an ISO timestamp. */
export function timestampText(value: Date | string): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  return Number.isNaN(date.getTime()) ? plainText(String(value)).slice(0, 40) : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export interface ComparisonRow {
  label: string;
  outside: string;
  secondOpinion: string;
}

export interface ReportFacts {
  patientName: string;
  /** "ID 12345 (issuer) · born 1960-01-01 · F": beside the name on every page. */
  patientIdentifiers: string;
  study: { label: string; value: string }[];
  signed: boolean;
  /** "Signed by ... on ..." or the draft notice. */
  signatureLines: string[];
  verdictLabel: string;
  verdictConfirmed: boolean;
  outsideAssessment: string;
  secondOpinionAssessment: string;
  /** The outside report's key facts beside the second opinion's. */
  comparison: ComparisonRow[];
  /** The second opinion as signed (the reader's edit, or the generated narrative). */
  secondOpinionText: string;
  outsideSection: NarrativeSection;
  concordanceSection: NarrativeSection;
  /** The outside report's findings, one line each (side, kind, clock, size, category), and by region. */
  outsideFindings: string[];
  /** The outside report's text as the user recorded it; empty when none. */
  outsideFreeText: string;
  /** The documented communication of the result to the referring physician; null when none. */
  communication: string | null;
  addenda: { text: string; signature: string }[];
  /** "amended 1" once an addendum is signed; empty for the report as first signed. */
  versionLabel: string;
  keyImageCaptions: string[];
  generatedAt: string;
}

function categoryCell(category: BiradsCategory | null): string {
  return category ? `BI-RADS ${category}` : '-';
}

function signatureLine(signature: { name: string; credentials: string; signatureLine: string; institution?: string; signedAt: string }): string {
  const who = [signature.name, signature.credentials].map((part) => plainText(part).trim()).filter(Boolean).join(', ');
  const role = plainText(signature.signatureLine).trim();
  const institution = plainText(signature.institution ?? '').trim();
  // A signature line that only repeats the name and credentials (the command line's default) is said once.
  const repeated = role.toLowerCase() === who.toLowerCase();
  return `${who}${role && !repeated ? ` - ${role}` : ''}${institution ? `, ${institution}` : ''}, ${timestampText(signature.signedAt)}`;
}

export const DRAFT_NOTICE = 'DRAFT - not signed';

/** Typed text with its line breaks kept and every other control character dropped. */
function multilineText(value: string): string {
  return value.split(/\r?\n/).map((line) => plainText(line).trimEnd()).join('\n').trim();
}

/** "Left breast mass at 2 o'clock, 12 mm, BI-RADS 3": one finding of a reading, short. */
export function findingFactText(finding: Pick<FindingFact, 'laterality' | 'kind' | 'clock' | 'sizeMm' | 'assessment'>): string {
  const parts = [
    `${LOCATION_LABELS.laterality[finding.laterality]} breast ${FINDING_KIND_LABELS[finding.kind]}${finding.clock !== null ? ` at ${finding.clock} o'clock` : ''}`,
    finding.sizeMm !== null ? `${Math.round(finding.sizeMm * 10) / 10} mm` : null,
    finding.assessment ? `BI-RADS ${finding.assessment}` : null,
  ].filter(Boolean);
  const text = parts.join(', ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The outside report's findings as recorded: structured ones, then findings by region. */
export function outsideFindingLines(outside: OutsideReport): string[] {
  return [
    ...(outside.facts.findings ?? []).map(findingFactText),
    ...outside.findingsByRegion.filter((region) => region.text.trim()).map((region) => `${plainText(region.region).trim()}: ${plainText(region.text).trim()}`),
  ];
}

const HOW_WORDS: Record<NonNullable<Report['communication']>['how'], string> = {
  phone: 'by phone',
  'in-person': 'in person',
  'secure-message': 'by secure message',
  letter: 'by letter',
  fax: 'by fax',
  other: '',
};

/** "Communicated to Dr Rita Referrer by phone on 2026-03-14 11:05 by Maria Reader. Note: ..." */
export function communicationText(communication: NonNullable<Report['communication']>): string {
  const how = HOW_WORDS[communication.how];
  const line = `Communicated to ${plainText(communication.to).trim()}${how ? ` ${how}` : ''} on ${plainText(communication.at).trim()} by ${plainText(communication.by).trim()}.`;
  const note = plainText(communication.note).trim();
  return note ? `${line}\nNote: ${note}` : line;
}

export function reportFacts(context: ExportContext): ReportFacts {
  const { report, patient, study } = context;
  const { outside, secondOpinion, concordance } = report.content;
  const narrative = generateNarrative(report.content);
  const identifiers = [
    `ID ${headerValue(patient.patientId, 64)}${patient.issuer.trim() ? ` (${headerValue(patient.issuer, 64)})` : ''}`,
    `born ${patient.birthDate ? dateValue(patient.birthDate) : 'unknown'}`,
    patient.sex.trim() ? `sex ${headerValue(patient.sex, 16)}` : null,
  ].filter(Boolean);
  const studyRows = [
    { label: 'Study', value: headerValue(study.studyDescription) || '(no description)' },
    { label: 'Study date', value: [dateValue(study.studyDate), study.studyTime ? formatDicomDateTime(headerValue(study.studyTime, 16), 'TIME') : ''].filter(Boolean).join(' ') },
    { label: 'Accession number', value: headerValue(study.accessionNumber, 64) },
    { label: 'Modalities', value: study.modalities.map((modality) => headerValue(modality, 16)).join(', ') },
    { label: 'Institution', value: headerValue(study.institutionName) },
    { label: 'Referring physician', value: formatPersonName(study.referringPhysicianName).slice(0, HEADER_LIMIT) },
  ].filter((row) => row.value);
  const signed = report.signature !== null;
  return {
    patientName: formatPersonName(patient.name, { allGroups: true }).slice(0, HEADER_LIMIT) || '(no name)',
    patientIdentifiers: identifiers.join(' · '),
    study: studyRows,
    signed,
    signatureLines: report.signature ? [`Signed by ${signatureLine(report.signature)}`] : [`${DRAFT_NOTICE}: this report has not been signed and may change.`],
    verdictLabel: VERDICT_LABELS[effectiveVerdict(concordance)],
    verdictConfirmed: concordance.confirmed !== null,
    outsideAssessment: readingAssessmentText(outside.facts),
    secondOpinionAssessment: readingAssessmentText(secondOpinion.assessment),
    comparison: [
      { label: 'Reader', outside: [outside.reader, outside.facility].map((part) => part.trim()).filter(Boolean).join(', ') || '-', secondOpinion: report.signature?.name ?? '-' },
      { label: 'Date', outside: outside.date ? dateValue(outside.date) : '-', secondOpinion: report.signature ? timestampText(report.signature.signedAt).slice(0, 10) : '-' },
      { label: 'Overall assessment', outside: readingAssessmentText({ ...outside.facts, right: null, left: null }), secondOpinion: readingAssessmentText({ ...secondOpinion.assessment, right: null, left: null }) },
      { label: 'Right breast', outside: categoryCell(outside.facts.right), secondOpinion: categoryCell(secondOpinion.assessment.right) },
      { label: 'Left breast', outside: categoryCell(outside.facts.left), secondOpinion: categoryCell(secondOpinion.assessment.left) },
      {
        label: 'Findings',
        outside: outside.facts.findings === null ? 'not recorded' : outsideFindingLines(outside).join('\n') || 'none',
        secondOpinion: secondOpinion.findings.map((finding) => findingFactText({ ...finding.location, kind: finding.kind, sizeMm: finding.sizeMm, assessment: finding.assessment })).join('\n') || 'none',
      },
      { label: 'Breast composition', outside: outside.facts.composition ?? '-', secondOpinion: secondOpinion.composition ?? secondOpinion.fibroglandularTissue ?? '-' },
      { label: 'Recommendation', outside: outside.recommendation.trim() || '-', secondOpinion: narrative.sections.find((section) => section.id === 'recommendation')?.text ?? '-' },
    ],
    secondOpinionText: secondOpinionText(report.content),
    outsideSection: narrative.additions[0] as NarrativeSection,
    concordanceSection: narrative.additions[1] as NarrativeSection,
    outsideFindings: outsideFindingLines(outside),
    outsideFreeText: multilineText(outside.freeText),
    communication: report.communication ? communicationText(report.communication) : null,
    versionLabel: amendmentLabel(reportVersion(report)),
    addenda: report.addenda.map((addendum) => ({ text: addendum.text, signature: `Addendum signed by ${signatureLine(addendum.signature)}` })),
    keyImageCaptions: context.keyImages.map(({ reference }, index) => {
      const caption = plainText(reference.caption).trim();
      return `Image ${index + 1}${caption ? `: ${caption}` : ''}${reference.frame !== null ? ` (frame ${reference.frame})` : ''}`;
    }),
    generatedAt: timestampText(context.generatedAt),
  };
}

import type { Study } from '../../../../shared/api/schemas.ts';
import { formatPersonName, plainText } from '../../../../shared/dicom/display-text.ts';
import { VERDICT_LABELS, effectiveVerdict, generateNarrative, readingAssessmentText, secondOpinionText } from '../../../../shared/reports/narrative.ts';
import type { Report } from '../../../../shared/reports/report-model.ts';
import { formatDicomDate } from '../../ui/format.ts';

/**
 * A signed report as plain text for pasting into another system: who and which study it is about,
 * the verdict, the second opinion as signed, the outside report and the concordance block, then the
 * signature and addenda. Header values are untrusted text and stay text.
 */
export function reportTextForPasting(report: Report, study: Study | null): string {
  const narrative = generateNarrative(report.content);
  const confirmed = report.content.concordance.confirmed !== null;
  const lines = [
    'SECOND-OPINION REPORT',
    ...(study
      ? [
          `Patient: ${formatPersonName(study.patientName) || '(no name)'}, ID ${plainText(study.patientId)}${study.patientBirthDate ? `, born ${formatDicomDate(study.patientBirthDate)}` : ''}`,
          `Study: ${formatDicomDate(study.studyDate) || '(no date)'}${study.accessionNumber ? `, accession ${plainText(study.accessionNumber)}` : ''}, ${study.modalities.join(', ')}`,
        ]
      : []),
    '',
    `CONCORDANCE VERDICT: ${VERDICT_LABELS[effectiveVerdict(report.content.concordance)]}${confirmed ? '' : ' (proposed)'}`,
    `Outside assessment: ${readingAssessmentText(report.content.outside.facts)}`,
    `Second-opinion assessment: ${readingAssessmentText(report.content.secondOpinion.assessment)}`,
    '',
    secondOpinionText(report.content),
    ...narrative.additions.flatMap((section) => ['', `${section.title.toUpperCase()}:`, section.text]),
  ];
  if (report.signature) {
    lines.push('', `Signed by ${report.signature.name}${report.signature.credentials ? `, ${report.signature.credentials}` : ''} on ${report.signature.signedAt}`);
  }
  for (const addendum of report.addenda) {
    lines.push('', `ADDENDUM ${addendum.id} (signed by ${addendum.signature.name} on ${addendum.signature.signedAt}):`, addendum.text);
  }
  return `${lines.join('\n')}\n`;
}

import type { z } from 'zod';
import { FINDING_KINDS_BY_MODALITY, associatedFeaturesFor, descriptorsFor } from './lexicon.ts';
import type { Modality } from './lexicon.ts';
import { reportContentSchema } from './report-model.ts';
import type { ReportContent, ReportFinding } from './report-model.ts';

const MODALITIES: readonly Modality[] = ['mammography', 'mri'];

/** The terms a descriptor of this kind of finding may take, in either lexicon (a finding knows its kind, not its template). */
function allowedTerms(kind: ReportFinding['kind'], descriptor: string): Set<string> | null {
  const definitions = MODALITIES.flatMap((modality) => descriptorsFor(modality, kind)).filter((d) => d.code === descriptor);
  return definitions.length > 0 ? new Set(definitions.flatMap((d) => d.terms.map((t) => t.code))) : null;
}

const ASSOCIATED_FEATURES = new Set(MODALITIES.flatMap((modality) => associatedFeaturesFor(modality).map((t) => t.code)));
const KINDS_WITH_LEXICON = new Set(MODALITIES.flatMap((modality) => FINDING_KINDS_BY_MODALITY[modality]));

function checkFindings(findings: readonly ReportFinding[], path: (string | number)[], context: z.RefinementCtx): void {
  const seen = new Set<string>();
  findings.forEach((finding, index) => {
    if (seen.has(finding.id)) {
      context.addIssue({ code: 'custom', path: [...path, index, 'id'], message: `finding id ${finding.id} is used twice` });
    }
    seen.add(finding.id);
    for (const [descriptor, term] of Object.entries(finding.descriptors)) {
      const terms = KINDS_WITH_LEXICON.has(finding.kind) ? allowedTerms(finding.kind, descriptor) : null;
      if (!terms) {
        context.addIssue({ code: 'custom', path: [...path, index, 'descriptors', descriptor], message: `${descriptor} is not a BI-RADS descriptor of a ${finding.kind}` });
      } else if (!terms.has(term)) {
        context.addIssue({ code: 'custom', path: [...path, index, 'descriptors', descriptor], message: `"${term}" is not a BI-RADS term for ${descriptor}` });
      }
    }
    finding.associatedFeatures.forEach((feature, featureIndex) => {
      if (!ASSOCIATED_FEATURES.has(feature)) {
        context.addIssue({ code: 'custom', path: [...path, index, 'associatedFeatures', featureIndex], message: `"${feature}" is not a BI-RADS associated feature` });
      }
    });
  });
}

/**
 * Report content as it may come in (the page, the command line, the API): the stored shape, plus what
 * makes it a report rather than any JSON of that shape: descriptors and associated features from the
 * BI-RADS lexicon only (so every record is bounded), and each finding id once. Stored reports are read
 * with the plain schema, so a report saved before these checks still opens.
 */
export const reportContentInputSchema = reportContentSchema.superRefine((content: ReportContent, context) => {
  checkFindings(content.secondOpinion.findings, ['secondOpinion', 'findings'], context);
  const outsideIds = new Set<string>();
  (content.outside.facts?.findings ?? []).forEach((finding, index) => {
    if (outsideIds.has(finding.id)) {
      context.addIssue({ code: 'custom', path: ['outside', 'facts', 'findings', index, 'id'], message: `finding id ${finding.id} is used twice` });
    }
    outsideIds.add(finding.id);
  });
});

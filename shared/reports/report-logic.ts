import { bucketOf } from './birads.ts';
import type { BiradsCategory } from './birads.ts';
import { effectiveOverall, proposeConcordance } from './concordance.ts';
import { draftProblems, localToday, problemText } from './draft-checks.ts';
import type { ReadingFacts } from './concordance.ts';
import type { ReportContent, SecondOpinion } from './report-model.ts';

/**
 * What the library derives from a report's content: the second opinion's facts for concordance, the
 * proposal recomputed on every save, the figures the worklist shows, and which reading a later
 * outcome supported. Pure: the same on the Node side and in the renderer.
 */

/** The second opinion as the facts concordance compares (its findings with their locations). */
export function secondOpinionFacts(secondOpinion: SecondOpinion): ReadingFacts {
  return {
    overall: secondOpinion.assessment.overall,
    right: secondOpinion.assessment.right,
    left: secondOpinion.assessment.left,
    composition: secondOpinion.composition ?? secondOpinion.fibroglandularTissue,
    findings: secondOpinion.findings.map((finding) => ({
      id: finding.id,
      laterality: finding.location.laterality,
      kind: finding.kind,
      clock: finding.location.clock,
      sizeMm: finding.sizeMm,
      assessment: finding.assessment,
    })),
    extentCm: secondOpinion.extentCm,
    priorsAvailable: secondOpinion.priorsAvailable,
  };
}

/** The content with concordance.proposed and .rules recomputed from the two readings; the rest as given. */
export function withProposedConcordance(content: ReportContent): ReportContent {
  const proposal = proposeConcordance(content.outside.facts, secondOpinionFacts(content.secondOpinion));
  return { ...content, concordance: { ...content.concordance, proposed: proposal.verdict, rules: proposal.rules } };
}

export interface ReportFigures {
  /** The radiologist's confirmed verdict; null until confirmed. */
  verdict: 'concordant' | 'minor' | 'major' | null;
  proposedVerdict: ReportContent['concordance']['proposed'];
  outsideAssessment: BiradsCategory | null;
  secondOpinionAssessment: BiradsCategory | null;
}

export function reportFigures(content: ReportContent): ReportFigures {
  return {
    verdict: content.concordance.confirmed,
    proposedVerdict: content.concordance.proposed,
    outsideAssessment: effectiveOverall(content.outside.facts),
    secondOpinionAssessment: effectiveOverall(secondOpinionFacts(content.secondOpinion)),
  };
}

/**
 * Why a draft cannot be signed yet; empty when it can: an unconfirmed verdict, and every invalid or
 * contradictory value (draft-checks.ts), each named with what it holds and why. `today` is YYYYMMDD.
 */
export function signingBlockers(content: ReportContent, today: string = localToday()): string[] {
  const blockers: string[] = [];
  if (content.concordance.confirmed === null) {
    blockers.push('the concordance verdict is not confirmed');
  }
  blockers.push(...draftProblems(content, today).map(problemText));
  return blockers;
}

export type OutcomeSupport = 'outside' | 'second-opinion' | 'both' | 'neither';

const SUGGESTS_CANCER = new Set(['malignant', 'high-risk']);
const SUGGESTS_BENIGN = new Set(['benign', 'stable', 'resolved']);

/**
 * Which reading an outcome supports. A malignant or high-risk result supports the readings that asked
 * for tissue diagnosis or knew of cancer (4-6); a benign, stable or resolved one those that did not
 * (1-3). Category 0 committed to neither. Per finding when the outcome names one: the second opinion's
 * assessment of that finding, and the outside report's of the same finding id, else of that side,
 * else overall. null when the result says nothing either way ('other').
 */
export function outcomeSupports(content: ReportContent, outcome: { findingId: string | null; result: string }): OutcomeSupport | null {
  const positive = SUGGESTS_CANCER.has(outcome.result);
  if (!positive && !SUGGESTS_BENIGN.has(outcome.result)) {
    return null;
  }
  const outsideFacts = content.outside.facts;
  const secondFacts = secondOpinionFacts(content.secondOpinion);
  let outsideCategory = effectiveOverall(outsideFacts);
  let secondCategory = effectiveOverall(secondFacts);
  if (outcome.findingId !== null) {
    const second = secondFacts.findings?.find((finding) => finding.id === outcome.findingId);
    const outside = outsideFacts.findings?.find((finding) => finding.id === outcome.findingId);
    const side = second?.laterality ?? outside?.laterality;
    const sideOf = (facts: ReadingFacts): BiradsCategory | null => (side === 'R' ? facts.right : side === 'L' ? facts.left : null);
    secondCategory = second?.assessment ?? sideOf(secondFacts) ?? secondCategory;
    outsideCategory = outside?.assessment ?? sideOf(outsideFacts) ?? outsideCategory;
  }
  const agrees = (category: BiradsCategory | null): boolean => {
    if (category === null || category === '0') {
      return false;
    }
    const suspicious = bucketOf(category) === 'B3' || bucketOf(category) === 'B6';
    return positive ? suspicious : !suspicious;
  };
  const outsideAgrees = agrees(outsideCategory);
  const secondAgrees = agrees(secondCategory);
  return outsideAgrees && secondAgrees ? 'both' : outsideAgrees ? 'outside' : secondAgrees ? 'second-opinion' : 'neither';
}

/** A new report's content: nothing recorded yet, on the template the study's modality suggests. */
export function emptyReportContent(template: SecondOpinion['template']): ReportContent {
  const noFacts: ReadingFacts = { overall: null, right: null, left: null, composition: null, findings: null, extentCm: null, priorsAvailable: null };
  return withProposedConcordance({
    outside: { facility: '', reader: '', date: '', facts: noFacts, recommendation: '', impression: '', findingsByRegion: [], freeText: '', sourceDocumentUid: null },
    secondOpinion: {
      template,
      clinicalQuestion: '',
      technique: '',
      comparison: '',
      priorStudyUids: [],
      composition: null,
      fibroglandularTissue: null,
      backgroundEnhancement: null,
      findings: [],
      findingsByRegion: [],
      impression: '',
      assessment: { overall: null, right: null, left: null },
      recommendation: '',
      extentCm: null,
      priorsAvailable: null,
      narrative: '',
      narrativeEdited: false,
      keyImages: [],
    },
    concordance: { proposed: 'indeterminate', rules: [], confirmed: null, radpeer: null, reason: '' },
  });
}

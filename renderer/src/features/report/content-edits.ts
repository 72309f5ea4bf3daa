import { BIRADS_MANAGEMENT } from '../../../../shared/reports/birads.ts';
import type { BiradsCategory } from '../../../../shared/reports/birads.ts';
import { generateNarrative, overallCategory, sectionsText } from '../../../../shared/reports/narrative.ts';
import { withoutOrphanEntries } from '../../../../shared/reports/draft-checks.ts';
import { withProposedConcordance } from '../../../../shared/reports/report-logic.ts';
import type { ReportContent, ReportFinding, SecondOpinion } from '../../../../shared/reports/report-model.ts';

/**
 * Pure steps the pane applies to a draft's content: every edit recomputes the proposed verdict (the
 * server does the same on save) and regenerates the narrative until the reader edits it by hand.
 */

/**
 * The content after an edit: the kept entries of removed findings dropped, concordance proposal recomputed, the second opinion's narrative (its own
 * sections; the outside reference and verdict are added on export) regenerated unless edited.
 */
export function afterEdit(content: ReportContent): ReportContent {
  const proposed = withProposedConcordance(withoutOrphanEntries(content));
  if (proposed.secondOpinion.narrativeEdited) {
    return proposed;
  }
  return { ...proposed, secondOpinion: { ...proposed.secondOpinion, narrative: sectionsText(generateNarrative(proposed).sections) } };
}

/** Throws the reader's edit of the narrative away and generates it again from the entries. */
export function regenerateNarrative(content: ReportContent): ReportContent {
  return afterEdit({ ...content, secondOpinion: { ...content.secondOpinion, narrativeEdited: false } });
}

/** The management the second opinion's overall category stands for; null without a category. */
export function suggestedRecommendation(opinion: SecondOpinion): string | null {
  const category: BiradsCategory | null = overallCategory(opinion.assessment);
  return category ? BIRADS_MANAGEMENT[category] : null;
}

/** A finding id that no finding of the list has: F1, F2, ... */
export function nextFindingId(findings: readonly { id: string }[]): string {
  const taken = new Set(findings.map((finding) => finding.id));
  let number = findings.length + 1;
  while (taken.has(`F${number}`)) {
    number += 1;
  }
  return `F${number}`;
}

export function emptyFinding(id: string, kind: ReportFinding['kind'], laterality: 'R' | 'L'): ReportFinding {
  return {
    id,
    kind,
    location: { laterality, clock: null, quadrant: null, depth: null, distanceFromNippleCm: null },
    descriptors: {},
    associatedFeatures: [],
    sizeMm: null,
    change: null,
    kinetics: null,
    assessment: null,
    images: [],
    note: '',
  };
}

/**
 * A finding of another kind keeps only the descriptors that still apply: the lexicon's descriptors
 * differ between kinds, and a mass's margin means nothing on calcifications.
 */
export function withKind(finding: ReportFinding, kind: ReportFinding['kind'], applicable: readonly string[]): ReportFinding {
  const descriptors = Object.fromEntries(Object.entries(finding.descriptors).filter(([code]) => applicable.includes(code)));
  return { ...finding, kind, descriptors };
}

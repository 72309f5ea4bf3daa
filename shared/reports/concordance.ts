import { z } from 'zod';
import { biradsCategorySchema, breastCompositionSchema, bucketOf, isDense, worstCategory } from './birads.ts';
import type { BiradsCategory, ManagementBucket } from './birads.ts';

/**
 * Does the second opinion agree with the outside report? The rules follow how the published
 * second-opinion series define discordance (domain reference c.3): compare per breast and per finding,
 * not only overall; a change of management bucket is major (above all the 1-3 against 4-5 crossing);
 * a change within a bucket, a composition change or a disagreement on a finding is minor. Every
 * rule that fires is returned with its scope, so the radiologist sees why before confirming.
 */

export const FINDING_KINDS = [
  'mass',
  'calcifications',
  'asymmetry',
  'architectural-distortion',
  'non-mass-enhancement',
  'focus',
  'lymph-node',
  'skin-lesion',
  'other',
] as const;

export const findingFactSchema = z.strictObject({
  id: z.string().min(1).max(64),
  laterality: z.enum(['R', 'L']),
  kind: z.enum(FINDING_KINDS),
  /** Clock face position as the observer faces the patient, 1-12; null when not given. */
  clock: z.number().int().min(1).max(12).nullable(),
  /** Largest dimension in mm; null when not given. */
  sizeMm: z.number().positive().max(500).nullable(),
  assessment: biradsCategorySchema.nullable(),
});
export type FindingFact = z.infer<typeof findingFactSchema>;

/** The facts of one reading, outside or second opinion, that concordance compares. */
export const readingFactsSchema = z.strictObject({
  overall: biradsCategorySchema.nullable(),
  right: biradsCategorySchema.nullable(),
  left: biradsCategorySchema.nullable(),
  composition: breastCompositionSchema.nullable(),
  /** null: the reading's findings are not known (only its categories were recorded). */
  findings: z.array(findingFactSchema).max(100).nullable(),
  /** Extent of known or suspected disease in cm, when the reading states one. */
  extentCm: z.number().positive().max(100).nullable(),
  /** Whether prior examinations were available to this reader; null when not known. */
  priorsAvailable: z.boolean().nullable(),
});
export type ReadingFacts = z.infer<typeof readingFactsSchema>;

export const CONCORDANCE_VERDICTS = ['concordant', 'minor', 'major', 'indeterminate'] as const;
export type ConcordanceVerdict = (typeof CONCORDANCE_VERDICTS)[number];

export const CONCORDANCE_RULES = [
  'biopsy-threshold', // 1-3 against 4-5: tissue diagnosis recommended by one reading only
  'follow-up-change', // 1-2 against 3: routine against short-interval follow-up
  'incomplete-resolved', // outside 0 (recall), second opinion gives a final category
  'incomplete-requested', // outside final, second opinion needs more imaging (0)
  'known-cancer-change', // one reading says 6, the other does not
  'new-suspicious-finding', // a 4-5 finding the outside report does not describe
  'extent-change', // disease extent larger by at least the threshold
  'within-bucket-change', // 1-2, 4A-4B-4C, 4-5
  'finding-disagreement', // a finding in both with another kind or size
  'finding-not-confirmed', // an outside finding the second opinion does not describe
  'dense-threshold', // composition across b/c: changes the density notification
  'composition-change', // composition differs on the same side of the threshold
  'priors-availability', // the readers had different access to priors (information only)
  'outside-unknown', // the outside assessment was not recorded
] as const;
export type ConcordanceRule = (typeof CONCORDANCE_RULES)[number];

export interface FiredRule {
  rule: ConcordanceRule;
  severity: 'major' | 'minor' | 'info';
  /** 'overall', 'R', 'L', or 'finding <id>'. */
  scope: string;
  message: string;
}

export interface ConcordanceOptions {
  /** The extent increase that changes surgery; published definitions use 4-5 cm. */
  extentThresholdCm: number;
  /** Size disagreement on a matched finding counts when larger than both of these. */
  sizeToleranceMm: number;
  sizeToleranceShare: number;
}

export const DEFAULT_CONCORDANCE_OPTIONS: ConcordanceOptions = { extentThresholdCm: 4, sizeToleranceMm: 5, sizeToleranceShare: 0.2 };

export interface ConcordanceProposal {
  verdict: ConcordanceVerdict;
  rules: FiredRule[];
  /** The RADPEER (2016) score the verdict suggests; the radiologist decides (2 or 3, a or b). */
  suggestedRadpeer: '1' | '2a' | '2b' | null;
  /** The density notification changes with the second opinion's composition. */
  densityNotificationChanges: boolean;
}

const BUCKET_WORDS: Record<ManagementBucket, string> = {
  B0: 'incomplete (0)',
  B1: 'routine (1-2)',
  B2: 'short-interval follow-up (3)',
  B3: 'tissue diagnosis (4-5)',
  B6: 'known cancer (6)',
};

/** The overall assessment a reading stands for: stated, else its worse breast. */
export function effectiveOverall(reading: ReadingFacts): BiradsCategory | null {
  return reading.overall ?? worstCategory([reading.right, reading.left]);
}

/** "4" undivided agrees with 4A, 4B and 4C: MRI and many reports do not subdivide. */
function sameCategory(a: BiradsCategory, b: BiradsCategory): boolean {
  return a === b || (a === '4' && b.startsWith('4')) || (b === '4' && a.startsWith('4'));
}

function compareCategories(outside: BiradsCategory, second: BiradsCategory, scope: string): FiredRule[] {
  if (sameCategory(outside, second)) {
    return [];
  }
  const from = bucketOf(outside);
  const to = bucketOf(second);
  const change = `outside ${outside}, second opinion ${second}`;
  if (from === to) {
    return [{ rule: 'within-bucket-change', severity: 'minor', scope, message: `${change}: same management, ${BUCKET_WORDS[from]}` }];
  }
  const words = `${change}: ${BUCKET_WORDS[from]} against ${BUCKET_WORDS[to]}`;
  if (from === 'B6' || to === 'B6') {
    return [{ rule: 'known-cancer-change', severity: 'major', scope, message: words }];
  }
  if (from === 'B0') {
    return [{ rule: 'incomplete-resolved', severity: 'major', scope, message: words }];
  }
  if (to === 'B0') {
    return [{ rule: 'incomplete-requested', severity: 'major', scope, message: words }];
  }
  if (from === 'B3' || to === 'B3') {
    return [{ rule: 'biopsy-threshold', severity: 'major', scope, message: words }];
  }
  return [{ rule: 'follow-up-change', severity: 'major', scope, message: words }];
}

function isSuspicious(category: BiradsCategory | null): boolean {
  return category !== null && bucketOf(category) === 'B3';
}

/** The hours between two clock positions, around the dial. */
function clockDistance(a: number, b: number): number {
  const difference = Math.abs(a - b) % 12;
  return Math.min(difference, 12 - difference);
}

/** The outside finding that describes the same lesion: same side, and the same place when both give one. */
function matchFinding(finding: FindingFact, candidates: FindingFact[]): FindingFact | null {
  const sameSide = candidates.filter((candidate) => candidate.laterality === finding.laterality);
  const located = sameSide.filter((candidate) => finding.clock === null || candidate.clock === null || clockDistance(finding.clock, candidate.clock) <= 1);
  const sameKind = located.filter((candidate) => candidate.kind === finding.kind);
  return sameKind[0] ?? located[0] ?? null;
}

function compareFindings(outside: FindingFact[], second: FindingFact[], options: ConcordanceOptions): FiredRule[] {
  const fired: FiredRule[] = [];
  const matched = new Set<FindingFact>();
  for (const finding of second) {
    const counterpart = matchFinding(finding, outside.filter((candidate) => !matched.has(candidate)));
    const scope = `finding ${finding.id}`;
    const where = `${finding.laterality === 'R' ? 'right' : 'left'} breast${finding.clock ? ` at ${finding.clock} o'clock` : ''}`;
    if (!counterpart) {
      if (isSuspicious(finding.assessment)) {
        fired.push({ rule: 'new-suspicious-finding', severity: 'major', scope, message: `${finding.kind} in the ${where}, assessed ${finding.assessment}, is not in the outside report` });
      } else {
        fired.push({ rule: 'finding-disagreement', severity: 'minor', scope, message: `${finding.kind} in the ${where} is not in the outside report` });
      }
      continue;
    }
    matched.add(counterpart);
    const differences: string[] = [];
    if (counterpart.kind !== finding.kind) {
      differences.push(`outside called it ${counterpart.kind}`);
    }
    if (finding.sizeMm !== null && counterpart.sizeMm !== null) {
      const difference = Math.abs(finding.sizeMm - counterpart.sizeMm);
      if (difference > options.sizeToleranceMm && difference > options.sizeToleranceShare * Math.max(finding.sizeMm, counterpart.sizeMm)) {
        differences.push(`size ${finding.sizeMm} mm against ${counterpart.sizeMm} mm`);
      }
    }
    if (finding.assessment && counterpart.assessment && !sameCategory(finding.assessment, counterpart.assessment)) {
      const rules = compareCategories(counterpart.assessment, finding.assessment, scope);
      fired.push(...rules);
    }
    if (differences.length > 0) {
      fired.push({ rule: 'finding-disagreement', severity: 'minor', scope, message: `${finding.kind} in the ${where}: ${differences.join('; ')}` });
    }
  }
  for (const finding of outside) {
    if (!matched.has(finding)) {
      fired.push({
        rule: 'finding-not-confirmed',
        severity: 'minor',
        scope: `finding ${finding.id}`,
        message: `the outside report's ${finding.kind} in the ${finding.laterality === 'R' ? 'right' : 'left'} breast is not described by the second opinion`,
      });
    }
  }
  return fired;
}

const RANK = { info: 0, minor: 1, major: 2 } as const;

export function proposeConcordance(
  outside: ReadingFacts,
  second: ReadingFacts,
  options: ConcordanceOptions = DEFAULT_CONCORDANCE_OPTIONS,
): ConcordanceProposal {
  const fired: FiredRule[] = [];
  const outsideOverall = effectiveOverall(outside);
  const secondOverall = effectiveOverall(second);

  if (outsideOverall === null || secondOverall === null) {
    const missing = outsideOverall === null ? 'the outside report' : 'the second opinion';
    fired.push({ rule: 'outside-unknown', severity: 'info', scope: 'overall', message: `no assessment recorded for ${missing}: a verdict needs both` });
    return { verdict: 'indeterminate', rules: fired, suggestedRadpeer: null, densityNotificationChanges: false };
  }

  // Per breast where both readings give one; the overall otherwise (it follows the worse breast).
  const sides: ['R' | 'L', BiradsCategory | null, BiradsCategory | null][] = [
    ['R', outside.right, second.right],
    ['L', outside.left, second.left],
  ];
  let comparedSides = 0;
  for (const [side, outsideSide, secondSide] of sides) {
    if (outsideSide && secondSide) {
      comparedSides += 1;
      fired.push(...compareCategories(outsideSide, secondSide, side));
    }
  }
  const overallRules = compareCategories(outsideOverall, secondOverall, 'overall');
  // A side's change already explains the overall one; keep the overall rule only when no side did.
  if (comparedSides === 0 || !fired.some((rule) => rule.severity === 'major')) {
    fired.push(...overallRules.filter((rule) => !fired.some((existing) => existing.rule === rule.rule)));
  }

  if (outside.findings !== null && second.findings !== null) {
    fired.push(...compareFindings(outside.findings, second.findings, options));
  }

  if (second.extentCm !== null && second.extentCm - (outside.extentCm ?? 0) >= options.extentThresholdCm) {
    fired.push({
      rule: 'extent-change',
      severity: 'major',
      scope: 'overall',
      message: `extent ${second.extentCm} cm against ${outside.extentCm === null ? 'none stated' : `${outside.extentCm} cm`} outside`,
    });
  }

  let densityNotificationChanges = false;
  if (outside.composition && second.composition && outside.composition !== second.composition) {
    if (isDense(outside.composition) !== isDense(second.composition)) {
      densityNotificationChanges = true;
      fired.push({
        rule: 'dense-threshold',
        severity: 'minor',
        scope: 'overall',
        message: `composition ${outside.composition} outside, ${second.composition} second opinion: the dense-breast notification changes`,
      });
    } else {
      fired.push({ rule: 'composition-change', severity: 'minor', scope: 'overall', message: `composition ${outside.composition} outside, ${second.composition} second opinion` });
    }
  }

  if (outside.priorsAvailable !== null && second.priorsAvailable !== null && outside.priorsAvailable !== second.priorsAvailable) {
    fired.push({
      rule: 'priors-availability',
      severity: 'info',
      scope: 'overall',
      message: `priors were available to ${second.priorsAvailable ? 'the second reader only' : 'the outside reader only'}`,
    });
  }

  const worst = fired.reduce((rank, rule) => Math.max(rank, RANK[rule.severity]), 0);
  const verdict: ConcordanceVerdict = worst === 2 ? 'major' : worst === 1 ? 'minor' : 'concordant';
  return {
    verdict,
    rules: fired,
    suggestedRadpeer: verdict === 'major' ? '2b' : verdict === 'minor' ? '2a' : '1',
    densityNotificationChanges,
  };
}

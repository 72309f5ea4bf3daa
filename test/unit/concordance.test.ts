import { describe, expect, it } from 'vitest';
import { bucketOf, worstCategory } from '../../shared/reports/birads.ts';
import type { BiradsCategory } from '../../shared/reports/birads.ts';
import { proposeConcordance, readingFactsSchema } from '../../shared/reports/concordance.ts';
import type { ConcordanceRule, ConcordanceVerdict, FindingFact, ReadingFacts } from '../../shared/reports/concordance.ts';

function reading(change: Partial<ReadingFacts>): ReadingFacts {
  return readingFactsSchema.parse({
    overall: null,
    right: null,
    left: null,
    composition: null,
    findings: null,
    extentCm: null,
    priorsAvailable: null,
    ...change,
  });
}

function finding(change: Partial<FindingFact> & Pick<FindingFact, 'id' | 'laterality'>): FindingFact {
  return { kind: 'mass', clock: null, sizeMm: null, assessment: null, ...change };
}

const overall = (category: BiradsCategory): ReadingFacts => reading({ overall: category });

interface Case {
  name: string;
  outside: ReadingFacts;
  second: ReadingFacts;
  verdict: ConcordanceVerdict;
  /** Rules that must fire; every other major or minor rule must not. */
  rules: ConcordanceRule[];
}

const CASES: Case[] = [
  // Same category and bucket.
  { name: '1 against 1', outside: overall('1'), second: overall('1'), verdict: 'concordant', rules: [] },
  { name: '2 against 2', outside: overall('2'), second: overall('2'), verdict: 'concordant', rules: [] },
  { name: '4B against 4B', outside: overall('4B'), second: overall('4B'), verdict: 'concordant', rules: [] },
  { name: '6 against 6', outside: overall('6'), second: overall('6'), verdict: 'concordant', rules: [] },
  { name: 'undivided 4 against 4C (MRI does not subdivide)', outside: overall('4'), second: overall('4C'), verdict: 'concordant', rules: [] },
  // Within a bucket.
  { name: '1 against 2', outside: overall('1'), second: overall('2'), verdict: 'minor', rules: ['within-bucket-change'] },
  { name: '4A against 4B', outside: overall('4A'), second: overall('4B'), verdict: 'minor', rules: ['within-bucket-change'] },
  { name: '4B against 4C', outside: overall('4B'), second: overall('4C'), verdict: 'minor', rules: ['within-bucket-change'] },
  { name: '4C against 5', outside: overall('4C'), second: overall('5'), verdict: 'minor', rules: ['within-bucket-change'] },
  { name: '4 against 5', outside: overall('4'), second: overall('5'), verdict: 'minor', rules: ['within-bucket-change'] },
  // The biopsy threshold, both ways, from every non-biopsy category.
  { name: '1 against 4A', outside: overall('1'), second: overall('4A'), verdict: 'major', rules: ['biopsy-threshold'] },
  { name: '2 against 5', outside: overall('2'), second: overall('5'), verdict: 'major', rules: ['biopsy-threshold'] },
  { name: '3 against 4A', outside: overall('3'), second: overall('4A'), verdict: 'major', rules: ['biopsy-threshold'] },
  { name: '4A against 3 (biopsy averted)', outside: overall('4A'), second: overall('3'), verdict: 'major', rules: ['biopsy-threshold'] },
  { name: '5 against 2', outside: overall('5'), second: overall('2'), verdict: 'major', rules: ['biopsy-threshold'] },
  // Routine against follow-up.
  { name: '2 against 3', outside: overall('2'), second: overall('3'), verdict: 'major', rules: ['follow-up-change'] },
  { name: '3 against 1', outside: overall('3'), second: overall('1'), verdict: 'major', rules: ['follow-up-change'] },
  // Category 0 and 6.
  { name: 'outside 0, second 1', outside: overall('0'), second: overall('1'), verdict: 'major', rules: ['incomplete-resolved'] },
  { name: 'outside 0, second 4B', outside: overall('0'), second: overall('4B'), verdict: 'major', rules: ['incomplete-resolved'] },
  { name: 'outside 2, second 0', outside: overall('2'), second: overall('0'), verdict: 'major', rules: ['incomplete-requested'] },
  { name: '0 against 0', outside: overall('0'), second: overall('0'), verdict: 'concordant', rules: [] },
  { name: 'outside 6, second 2', outside: overall('6'), second: overall('2'), verdict: 'major', rules: ['known-cancer-change'] },
  { name: 'outside 4C, second 6', outside: overall('4C'), second: overall('6'), verdict: 'major', rules: ['known-cancer-change'] },
  // Per breast against overall.
  {
    name: 'same overall, but the suspicion moved to the other breast',
    outside: reading({ overall: '4A', right: '4A', left: '1' }),
    second: reading({ overall: '4A', right: '2', left: '4A' }),
    verdict: 'major',
    rules: ['biopsy-threshold'],
  },
  {
    name: 'per breast on one side only: the overall is compared',
    outside: reading({ overall: '2' }),
    second: reading({ right: '4B', left: '1' }),
    verdict: 'major',
    rules: ['biopsy-threshold'],
  },
  {
    name: 'per breast equal, overall derived from the worse breast',
    outside: reading({ right: '3', left: '1' }),
    second: reading({ overall: '3', right: '3', left: '2' }),
    verdict: 'minor',
    rules: ['within-bucket-change'],
  },
  // Missing outside data.
  { name: 'no outside assessment', outside: reading({ composition: 'b' }), second: overall('2'), verdict: 'indeterminate', rules: [] },
  { name: 'no second-opinion assessment yet', outside: overall('2'), second: reading({}), verdict: 'indeterminate', rules: [] },
  {
    name: 'outside findings unknown: findings are not compared',
    outside: overall('4A'),
    second: reading({ overall: '4A', findings: [finding({ id: 'f1', laterality: 'R', clock: 10, assessment: '4A' })] }),
    verdict: 'concordant',
    rules: [],
  },
  // Findings.
  {
    name: 'new suspicious finding in the other breast, overall unchanged',
    outside: reading({ overall: '4B', findings: [finding({ id: 'o1', laterality: 'R', clock: 10, assessment: '4B' })] }),
    second: reading({
      overall: '4B',
      findings: [finding({ id: 's1', laterality: 'R', clock: 10, assessment: '4B' }), finding({ id: 's2', laterality: 'L', clock: 2, assessment: '4A', kind: 'calcifications' })],
    }),
    verdict: 'major',
    rules: ['new-suspicious-finding'],
  },
  {
    name: 'same lesion one clock hour apart, size within tolerance',
    outside: reading({ overall: '4A', findings: [finding({ id: 'o1', laterality: 'L', clock: 12, sizeMm: 11, assessment: '4A' })] }),
    second: reading({ overall: '4A', findings: [finding({ id: 's1', laterality: 'L', clock: 1, sizeMm: 13, assessment: '4A' })] }),
    verdict: 'concordant',
    rules: [],
  },
  {
    name: 'same lesion, size disagreement without management change',
    outside: reading({ overall: '3', findings: [finding({ id: 'o1', laterality: 'L', clock: 3, sizeMm: 8, assessment: '3' })] }),
    second: reading({ overall: '3', findings: [finding({ id: 's1', laterality: 'L', clock: 3, sizeMm: 19, assessment: '3' })] }),
    verdict: 'minor',
    rules: ['finding-disagreement'],
  },
  {
    name: 'outside finding dismissed as benign: not confirmed and a bucket change',
    outside: reading({ overall: '4A', findings: [finding({ id: 'o1', laterality: 'R', clock: 7, assessment: '4A' })] }),
    second: reading({ overall: '2', findings: [] }),
    verdict: 'major',
    rules: ['biopsy-threshold', 'finding-not-confirmed'],
  },
  {
    name: 'new benign finding only',
    outside: reading({ overall: '2', findings: [] }),
    second: reading({ overall: '2', findings: [finding({ id: 's1', laterality: 'R', kind: 'lymph-node', assessment: '2' })] }),
    verdict: 'minor',
    rules: ['finding-disagreement'],
  },
  // Extent.
  {
    name: 'extent larger by 5 cm on a known cancer',
    outside: reading({ overall: '6', extentCm: 2 }),
    second: reading({ overall: '6', extentCm: 7 }),
    verdict: 'major',
    rules: ['extent-change'],
  },
  { name: 'extent larger by 1 cm', outside: reading({ overall: '6', extentCm: 2 }), second: reading({ overall: '6', extentCm: 3 }), verdict: 'concordant', rules: [] },
  // Composition.
  { name: 'composition b against c crosses the dense threshold', outside: reading({ overall: '1', composition: 'b' }), second: reading({ overall: '1', composition: 'c' }), verdict: 'minor', rules: ['dense-threshold'] },
  { name: 'composition c against d', outside: reading({ overall: '1', composition: 'c' }), second: reading({ overall: '1', composition: 'd' }), verdict: 'minor', rules: ['composition-change'] },
  // Priors: information, never a verdict on its own.
  {
    name: 'priors available to the second reader only',
    outside: reading({ overall: '2', priorsAvailable: false }),
    second: reading({ overall: '2', priorsAvailable: true }),
    verdict: 'concordant',
    rules: [],
  },
];

describe('concordance rules on a table of cases', () => {
  it('has at least thirty cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  for (const testCase of CASES) {
    it(testCase.name, () => {
      const proposal = proposeConcordance(testCase.outside, testCase.second);
      expect(proposal.verdict).toBe(testCase.verdict);
      const graded = proposal.rules.filter((rule) => rule.severity !== 'info').map((rule) => rule.rule);
      expect([...new Set(graded)].sort()).toEqual([...testCase.rules].sort());
      for (const rule of proposal.rules) {
        expect(rule.message.length).toBeGreaterThan(10);
      }
    });
  }

  it('suggests a RADPEER score from the verdict and leaves it to the reader', () => {
    expect(proposeConcordance(overall('2'), overall('2')).suggestedRadpeer).toBe('1');
    expect(proposeConcordance(overall('1'), overall('2')).suggestedRadpeer).toBe('2a');
    expect(proposeConcordance(overall('2'), overall('4B')).suggestedRadpeer).toBe('2b');
    expect(proposeConcordance(reading({}), overall('4B')).suggestedRadpeer).toBeNull();
  });

  it('flags the density notification change separately', () => {
    expect(proposeConcordance(reading({ overall: '1', composition: 'b' }), reading({ overall: '1', composition: 'c' })).densityNotificationChanges).toBe(true);
    expect(proposeConcordance(reading({ overall: '1', composition: 'a' }), reading({ overall: '1', composition: 'b' })).densityNotificationChanges).toBe(false);
  });

  it('records the priors rule as information', () => {
    const proposal = proposeConcordance(reading({ overall: '2', priorsAvailable: false }), reading({ overall: '2', priorsAvailable: true }));
    expect(proposal.rules).toEqual([expect.objectContaining({ rule: 'priors-availability', severity: 'info' })]);
  });

  it('names the scope of a per-breast rule', () => {
    const proposal = proposeConcordance(reading({ right: '2', left: '2' }), reading({ right: '2', left: '4A' }));
    expect(proposal.rules.find((rule) => rule.rule === 'biopsy-threshold')?.scope).toBe('L');
  });
});

describe('BI-RADS buckets', () => {
  it('maps every category to its management bucket', () => {
    expect((['0', '1', '2', '3', '4', '4A', '4B', '4C', '5', '6'] as const).map(bucketOf)).toEqual(['B0', 'B1', 'B1', 'B2', 'B3', 'B3', 'B3', 'B3', 'B3', 'B6']);
  });

  it('takes the more worrisome category as the overall one', () => {
    expect(worstCategory(['2', '4A'])).toBe('4A');
    expect(worstCategory(['3', '0'])).toBe('0');
    expect(worstCategory(['4C', '5'])).toBe('5');
    expect(worstCategory([null, undefined])).toBeNull();
  });
});

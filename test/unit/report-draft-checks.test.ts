import { describe, expect, it } from 'vitest';
import {
  CLOCK_RULE,
  SIZE_RULE,
  checkDateText,
  checkNumberText,
  clockQuadrantConflict,
  draftProblems,
  entryKeys,
  parseDecimal,
  quadrantsOfClock,
  withEntry,
  withoutOrphanEntries,
} from '../../shared/reports/draft-checks.ts';
import type { Quadrant } from '../../shared/reports/draft-checks.ts';
import { signingBlockers } from '../../shared/reports/report-logic.ts';
import { reportContentSchema } from '../../shared/reports/report-model.ts';
import { mammographyContent, spiculatedMass } from '../support/report-fixture.ts';

const TODAY = '20261207';

describe('numbers as a reader types them', () => {
  it('reads a decimal comma as a decimal point', () => {
    expect(parseDecimal('9,5')).toBe(9.5);
    expect(parseDecimal(' 9.5 ')).toBe(9.5);
    expect(parseDecimal(',5')).toBe(0.5);
    expect(parseDecimal('12')).toBe(12);
    expect(checkNumberText('9,5', SIZE_RULE)).toEqual({ value: 9.5, problem: null });
  });

  it('refuses what is not one number, with the reason', () => {
    for (const text of ['9,5,1', '1.000,5', 'ten', '9 5', '5mm', '--1', '1e3']) {
      expect(parseDecimal(text), text).toBeNull();
    }
    expect(checkNumberText('ten', SIZE_RULE)).toEqual({ value: null, problem: 'not a number: expected a number from 0.1 to 500 mm' });
    expect(checkNumberText('600', SIZE_RULE).problem).toBe('out of range: expected a number from 0.1 to 500 mm');
    expect(checkNumberText('0', SIZE_RULE).problem).toMatch(/^out of range/);
    expect(checkNumberText('10,5', CLOCK_RULE).problem).toBe("not a whole number: expected a whole number from 1 to 12 o'clock");
    expect(checkNumberText('13', CLOCK_RULE).problem).toMatch(/^out of range/);
  });

  it('takes an empty field as not recorded, not as a problem', () => {
    expect(checkNumberText('  ', SIZE_RULE)).toEqual({ value: null, problem: null });
  });
});

describe('dates', () => {
  it('stores a plausible date as DICOM DA, from the date control or from DA', () => {
    expect(checkDateText('2004-08-30', TODAY)).toEqual({ value: '20040830', problem: null });
    expect(checkDateText('20040830', TODAY)).toEqual({ value: '20040830', problem: null });
    expect(checkDateText('', TODAY)).toEqual({ value: '', problem: null });
    expect(checkDateText('2024-02-29', TODAY).problem).toBeNull();
    expect(checkDateText(TODAY, TODAY).problem).toBeNull();
  });

  it('names what is wrong with an implausible one', () => {
    expect(checkDateText('20231-05-04', TODAY)).toEqual({ value: '', problem: 'the year has 5 digits: expected 4' });
    expect(checkDateText('2023-02-29', TODAY).problem).toBe('no such day in the calendar');
    expect(checkDateText('20231345', TODAY).problem).toBe('no such day in the calendar');
    expect(checkDateText('1850-01-01', TODAY).problem).toBe('before 1900: check the year');
    expect(checkDateText('20261208', TODAY).problem).toBe('in the future: check the date');
    expect(checkDateText('yesterday', TODAY).problem).toBe('not a date: expected year, month and day');
  });
});

/**
 * Facing the patient: on the right breast 9 o'clock is lateral (outer) and 3 o'clock medial (inner);
 * on the left the other way round; 12 and 6 are on the vertical axis, 3 and 9 on the horizontal one.
 */
const EXPECTED: Record<'R' | 'L', Record<number, Quadrant[]>> = {
  R: { 1: ['UIQ'], 2: ['UIQ'], 3: ['UIQ', 'LIQ'], 4: ['LIQ'], 5: ['LIQ'], 6: ['LOQ', 'LIQ'], 7: ['LOQ'], 8: ['LOQ'], 9: ['UOQ', 'LOQ'], 10: ['UOQ'], 11: ['UOQ'], 12: ['UOQ', 'UIQ'] },
  L: { 1: ['UOQ'], 2: ['UOQ'], 3: ['UOQ', 'LOQ'], 4: ['LOQ'], 5: ['LOQ'], 6: ['LOQ', 'LIQ'], 7: ['LIQ'], 8: ['LIQ'], 9: ['UIQ', 'LIQ'], 10: ['UIQ'], 11: ['UIQ'], 12: ['UOQ', 'UIQ'] },
};
const QUADRANTS = ['UOQ', 'UIQ', 'LOQ', 'LIQ'] as const;

describe('clock face, quadrant and side', () => {
  for (const side of ['R', 'L'] as const) {
    for (let clock = 1; clock <= 12; clock += 1) {
      it(`${side} breast at ${clock} o'clock lies in ${EXPECTED[side][clock]?.join(' and ')}`, () => {
        const expected = EXPECTED[side][clock] ?? [];
        expect([...quadrantsOfClock(side, clock)].sort()).toEqual([...expected].sort());
        for (const quadrant of QUADRANTS) {
          const conflict = clockQuadrantConflict(side, clock, quadrant);
          if (expected.includes(quadrant)) {
            expect(conflict, `${quadrant} agrees`).toBeNull();
          } else {
            expect(conflict, `${quadrant} contradicts`).toContain(`${clock} o'clock`);
          }
        }
        // The axillary tail extends the upper outer quadrant; the regions round the nipple take any clock.
        expect(clockQuadrantConflict(side, clock, 'axillary-tail') === null).toBe(expected.includes('UOQ'));
        expect(clockQuadrantConflict(side, clock, 'subareolar')).toBeNull();
        expect(clockQuadrantConflict(side, clock, 'central')).toBeNull();
      });
    }
  }

  it("says what a right breast's 10 o'clock is", () => {
    expect(clockQuadrantConflict('R', 10, 'UIQ')).toBe("right breast at 10 o'clock is the upper outer quadrant, not the upper inner quadrant");
    expect(clockQuadrantConflict('L', 10, 'UIQ')).toBeNull();
    expect(clockQuadrantConflict('R', null, 'UIQ')).toBeNull();
    expect(clockQuadrantConflict('R', 10, null)).toBeNull();
  });
});

describe('a draft with invalid or contradictory values', () => {
  it('keeps what was typed, lists it for signing with its reason, and drops it once resolved', () => {
    const content = mammographyContent();
    expect(draftProblems(content, TODAY)).toEqual([]);
    const typo = withEntry({ ...content, outside: { ...content.outside, date: '' } }, entryKeys.outsideDate, '20231-05-04');
    expect(reportContentSchema.parse(typo).invalidEntries).toEqual({ 'outside.date': '20231-05-04' });
    expect(draftProblems(typo, TODAY)).toEqual([
      { field: 'outside.date', label: 'outside report: date', value: '20231-05-04', reason: 'the year has 5 digits: expected 4', kind: 'invalid' },
    ]);
    expect(signingBlockers(typo, TODAY)).toEqual(['outside report: date "20231-05-04": the year has 5 digits: expected 4']);
    expect(draftProblems(withEntry(typo, entryKeys.outsideDate, null), TODAY)).toEqual([]);
  });

  it('lists a clock face that contradicts the quadrant, and a date the command line stored that cannot be', () => {
    const content = mammographyContent();
    const contradicting = {
      ...content,
      outside: { ...content.outside, date: '20261399' },
      secondOpinion: { ...content.secondOpinion, findings: [spiculatedMass({ location: { laterality: 'R', clock: 10, quadrant: 'UIQ', depth: null, distanceFromNippleCm: null } })] },
    };
    expect(signingBlockers(contradicting, TODAY)).toEqual([
      'outside report: date "20261399": no such day in the calendar',
      'finding f1: location "right, 10 o\'clock, upper inner quadrant": right breast at 10 o\'clock is the upper outer quadrant, not the upper inner quadrant',
    ]);
  });

  it("forgets a removed finding's entries", () => {
    const content = withEntry(withEntry(mammographyContent(), entryKeys.finding('f1', 'sizeMm'), 'big'), entryKeys.finding('gone', 'clock'), '13');
    expect(draftProblems(content, TODAY).map((problem) => problem.label)).toEqual(['finding f1: size (mm)']);
    expect(withoutOrphanEntries(content).invalidEntries).toEqual({ 'secondOpinion.findings.f1.sizeMm': 'big' });
  });
});

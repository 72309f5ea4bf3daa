import { describe, expect, it } from 'vitest';
import { casesBehind, concordanceOverview, filterCases, localDateOf } from '../../shared/reports/overview.ts';
import type { CountSelection, OverviewCaseRecord, OverviewGrouping } from '../../shared/reports/overview.ts';

let next = 0;
function signed(overrides: Partial<OverviewCaseRecord>): OverviewCaseRecord {
  next += 1;
  return {
    reportId: next, studyInstanceUid: `1.2.${next}`, patientName: `Patient ${next}`, patientId: `P${next}`, studyDate: '20240110',
    readerId: 'dr-a', readerName: 'Dr. A', modalities: ['MG'], facility: 'North', signedAt: '2024-01-15T10:00:00.000Z',
    verdict: 'concordant', outsideAssessment: '2', secondOpinionAssessment: '2', outcomeSupports: [], ...overrides,
  };
}

const cases: OverviewCaseRecord[] = [
  signed({}),
  signed({ verdict: 'major', outsideAssessment: '3', secondOpinionAssessment: '4B', outcomeSupports: ['second-opinion', null] }),
  signed({ verdict: 'minor', facility: 'South', modalities: ['MR'], signedAt: '2024-02-03T09:00:00.000Z', readerId: 'dr-b', readerName: 'Dr. B', outsideAssessment: '4A', secondOpinionAssessment: '4B', outcomeSupports: ['outside'] }),
  signed({ verdict: 'major', facility: '', signedAt: '2024-02-20T16:00:00.000Z', readerId: 'dr-b', readerName: 'Dr. B', outsideAssessment: null, secondOpinionAssessment: '5' }),
  // A concordant case's outcome is not a discordant case's.
  signed({ outcomeSupports: ['second-opinion'], signedAt: '2024-03-01T12:00:00.000Z' }),
];

describe('casesBehind: every count of the overview opens exactly the cases it counted', () => {
  it('lists, for every number the overview shows, as many cases as the number says', () => {
    for (const groupBy of ['modality', 'facility', 'period'] as OverviewGrouping[]) {
      const overview = concordanceOverview(cases, groupBy);
      const checks: [CountSelection, number][] = [
        [{ section: 'all' }, overview.all.total],
        ...(['concordant', 'minor', 'major'] as const).map((verdict): [CountSelection, number] => [{ section: 'all', verdict }, overview.all[verdict]]),
        ...overview.groups.flatMap((group) => [
          [{ section: 'group', key: group.key }, group.total] as [CountSelection, number],
          ...(['concordant', 'minor', 'major'] as const).map((verdict): [CountSelection, number] => [{ section: 'group', key: group.key, verdict }, group[verdict]]),
        ]),
        ...overview.timeSeries.map((month): [CountSelection, number] => [{ section: 'month', key: month.key, verdict: 'major' }, month.major]),
        ...overview.matrix.map((cell): [CountSelection, number] => [{ section: 'matrix', outside: cell.outside, secondOpinion: cell.secondOpinion }, cell.count]),
      ];
      for (const [selection, count] of checks) {
        expect({ groupBy, selection, listed: casesBehind(cases, groupBy, selection).length }).toEqual({ groupBy, selection, listed: count });
      }
    }
  });

  it('names the very cases: a facility not recorded, a matrix cell without an outside category, an outcome', () => {
    const ids = (selection: CountSelection, groupBy: OverviewGrouping = 'facility'): number[] => casesBehind(cases, groupBy, selection).map((c) => c.reportId);
    const [first, major, minor, noFacility] = cases as [OverviewCaseRecord, OverviewCaseRecord, OverviewCaseRecord, OverviewCaseRecord];
    expect(ids({ section: 'group', key: '(not recorded)' })).toEqual([noFacility.reportId]);
    expect(ids({ section: 'group', key: 'North', verdict: 'major' })).toEqual([major.reportId]);
    expect(ids({ section: 'group', key: 'MG' }, 'modality')).toEqual([first.reportId, major.reportId, noFacility.reportId, (cases[4] as OverviewCaseRecord).reportId]);
    expect(ids({ section: 'matrix', outside: '-', secondOpinion: '5' })).toEqual([noFacility.reportId]);
    expect(ids({ section: 'outcome', support: 'second-opinion' })).toEqual([major.reportId]);
    expect(ids({ section: 'outcome', support: 'outside' })).toEqual([minor.reportId]);
    expect(ids({ section: 'outcome', support: 'both' })).toEqual([]);
  });
});

describe('filterCases: by signing date (local calendar dates, both ends included) and reader', () => {
  it('keeps the dates between from and to, ends included', () => {
    const day = (c: OverviewCaseRecord): string => localDateOf(c.signedAt);
    const february = filterCases(cases, { from: '2024-02-01', to: '2024-02-29' });
    expect(february.map(day)).toEqual(cases.map(day).filter((d) => d >= '2024-02-01' && d <= '2024-02-29'));
    expect(february).toHaveLength(2);
    const onTheDay = day(cases[2] as OverviewCaseRecord);
    expect(filterCases(cases, { from: onTheDay, to: onTheDay }).map((c) => c.reportId)).toEqual([(cases[2] as OverviewCaseRecord).reportId]);
    expect(filterCases(cases, { from: '2024-03-02' })).toHaveLength(0);
    expect(filterCases(cases, {})).toHaveLength(cases.length);
  });

  it('keeps one reader, and combines with the dates', () => {
    expect(filterCases(cases, { reader: 'dr-b' }).map((c) => c.readerName)).toEqual(['Dr. B', 'Dr. B']);
    expect(filterCases(cases, { reader: 'dr-b', to: localDateOf('2024-02-10T12:00:00.000Z') })).toHaveLength(1);
    expect(filterCases(cases, { reader: 'nobody' })).toEqual([]);
  });

  it('reads the local calendar date of an ISO time, and nothing of a broken one', () => {
    const time = new Date(2024, 1, 29, 23, 30);
    expect(localDateOf(time.toISOString())).toBe('2024-02-29');
    expect(localDateOf('not a time')).toBe('');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concord, concordJson } from '../support/cli.ts';
import { READERS, SIGNED_CASES, buildConcordanceLibrary } from '../support/concordance-library.ts';
import { haveCorpus } from '../support/environment.ts';
import { cleanupTempDirs, tempDir } from '../support/library.ts';
import { callApi, startServe } from '../support/serve.ts';
import type { RunningHost } from '../support/serve.ts';

const present = haveCorpus();
let library: string;
let reportIds: number[];
let host: RunningHost;

beforeAll(async () => {
  if (!present) {
    return;
  }
  library = tempDir();
  reportIds = await buildConcordanceLibrary(library);
  // The fixture's times are mid-morning UTC: the same calendar date in this zone as in UTC.
  host = await startServe(library, [], { TZ: 'UTC' });
});

afterAll(async () => {
  await host?.stop();
  cleanupTempDirs();
});

interface OverviewBody {
  overview: { all: { total: number; concordant: number; minor: number; major: number }; groups: { key: string; total: number }[] };
  cases: { reportId: number; readerId: string; readerName: string; signedAt: string; studyInstanceUid: string; patientName: string }[];
  readers: { id: string; name: string }[];
}

describe.runIf(present)('concordance overview filters, through the API and the command line', () => {
  it('without a filter counts every signed report and lists each case with its study and reader', async () => {
    const { status, body } = await callApi(host, 'concordanceOverview', { groupBy: 'facility' });
    expect(status).toBe(200);
    const response = body as unknown as OverviewBody;
    expect(response.overview.all).toMatchObject({ total: 5, concordant: 3, minor: 1, major: 1 });
    expect(response.cases.map((c) => c.reportId)).toEqual(reportIds);
    expect(response.cases.map((c) => c.readerName)).toEqual(SIGNED_CASES.map((c) => READERS[c.reader]));
    expect(response.cases.map((c) => c.signedAt)).toEqual(SIGNED_CASES.map((c) => c.signedAt));
    expect(response.cases.every((c) => /^[0-9.]+$/.test(c.studyInstanceUid))).toBe(true);
    expect(response.readers).toEqual([{ id: 'dr-north', name: 'Dr. Nora North' }, { id: 'dr-south', name: 'Dr. Sam South' }]);
  });

  it('filters by signing date (both ends included) and by reader, and the counts follow', async () => {
    const february = (await callApi(host, 'concordanceOverview', { groupBy: 'facility', from: '2024-02-10', to: '2024-02-20' })).body as unknown as OverviewBody;
    expect(february.overview.all).toMatchObject({ total: 2, minor: 1, major: 1, concordant: 0 });
    expect(february.cases.map((c) => c.reportId)).toEqual([reportIds[1], reportIds[2]]);
    // The reader list offers every reader whatever the filter.
    expect(february.readers).toHaveLength(2);

    const south = (await callApi(host, 'concordanceOverview', { groupBy: 'facility', reader: 'dr-south' })).body as unknown as OverviewBody;
    expect(south.overview.all).toMatchObject({ total: 2, concordant: 1, minor: 1, major: 0 });
    expect(south.overview.groups).toEqual([expect.objectContaining({ key: 'South Imaging', total: 2 })]);
    expect(new Set(south.cases.map((c) => c.readerId))).toEqual(new Set(['dr-south']));

    const both = (await callApi(host, 'concordanceOverview', { groupBy: 'period', reader: 'dr-north', from: '2024-03-01' })).body as unknown as OverviewBody;
    expect(both.cases.map((c) => c.reportId)).toEqual([reportIds[4]]);
    expect((await callApi(host, 'concordanceOverview', { groupBy: 'period', to: '2023-12-31' })).body).toMatchObject({ overview: { all: { total: 0 } }, cases: [] });
  });

  it('refuses a date that is not YYYY-MM-DD', async () => {
    const refused = await callApi(host, 'concordanceOverview', { groupBy: 'facility', from: '15.02.2024' });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('a date as YYYY-MM-DD');
  });

  it('concord concordance --from --to --reader counts and lists the same cases', () => {
    const env = { TZ: 'UTC' };
    const filtered = concordJson<OverviewBody['overview'] & { cases: OverviewBody['cases'] }>(
      ['concordance', '--by', 'facility', '--from', '2024-02-01', '--to', '2024-03-31', '--reader', 'dr-north', '--library', library], env,
    );
    expect(filtered.all).toMatchObject({ total: 2, concordant: 1, major: 1 });
    expect(filtered.cases.map((c) => c.reportId)).toEqual([reportIds[1], reportIds[4]]);
    const text = concord(['concordance', '--by', 'facility', '--reader', 'dr-south', '--library', library], env);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^2 signed reports with a confirmed verdict in .*, signed by reader dr-south\n/);
    const bad = concord(['concordance', '--from', '2024-2-1', '--library', library], env);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--from takes a date as YYYY-MM-DD, not "2024-2-1"');
  });
});

import { describe, expect, it } from 'vitest';
import { reportContentInputSchema } from '../../shared/reports/content-input.ts';
import { reportContentSchema } from '../../shared/reports/report-model.ts';
import { mammographyContent, spiculatedMass } from '../support/report-fixture.ts';

describe('report content as it comes in', () => {
  it('accepts a report whose descriptors and features are the lexicon\'s', () => {
    expect(reportContentInputSchema.safeParse(mammographyContent()).success).toBe(true);
  });

  it('refuses descriptors and features outside the BI-RADS lexicon, naming each', () => {
    const content = mammographyContent();
    content.secondOpinion.findings[0] = spiculatedMass({ descriptors: { shape: 'banana', flavour: 'sweet' }, associatedFeatures: ['glitter'] });
    const result = reportContentInputSchema.safeParse(content);
    expect(result.success).toBe(false);
    const messages = result.error?.issues.map((issue) => issue.message) ?? [];
    expect(messages).toEqual(expect.arrayContaining([
      '"banana" is not a BI-RADS term for shape',
      'flavour is not a BI-RADS descriptor of a mass',
      '"glitter" is not a BI-RADS associated feature',
    ]));
    // The stored shape still reads it: a report saved before the check opens.
    expect(reportContentSchema.safeParse(content).success).toBe(true);
  });

  it('bounds a finding\'s descriptors: 100,000 invented keys are refused', () => {
    const content = mammographyContent();
    const descriptors = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`d${i}`, 'x']));
    content.secondOpinion.findings[0] = spiculatedMass({ descriptors });
    expect(reportContentInputSchema.safeParse(content).success).toBe(false);
  });

  it('refuses a finding id used twice, in the second opinion and in the outside report', () => {
    const content = mammographyContent();
    content.secondOpinion.findings = [spiculatedMass({ id: 'f1' }), spiculatedMass({ id: 'f1' })];
    expect(reportContentInputSchema.safeParse(content).error?.issues.map((i) => i.message)).toEqual(['finding id f1 is used twice']);
    const outside = mammographyContent();
    const first = outside.outside.facts?.findings?.[0];
    if (outside.outside.facts && first) {
      outside.outside.facts.findings = [first, { ...first }];
    }
    expect(reportContentInputSchema.safeParse(outside).error?.issues.map((i) => i.message)).toEqual([`finding id ${first?.id} is used twice`]);
  });
});

import { describe, expect, it } from 'vitest';
import { classifySopClass } from '../../shared/dicom/sop-classes.ts';
import { nonImageReason } from '../../shared/import/outcomes.ts';
import { outsideReportKind } from '../../shared/reports/outside-report-kind.ts';

const STORAGE = '1.2.840.10008.5.1.4.1.1.';
const of = (suffix: string, more: { modality?: string; documentTitle?: string; seriesDescription?: string } = {}) =>
  outsideReportKind({ sopClassUid: `${STORAGE}${suffix}`, modality: 'SR', documentTitle: '', seriesDescription: '', ...more });

describe('which instances the import announces as outside reports', () => {
  it('takes text SR (basic, enhanced, comprehensive) and encapsulated PDF or CDA', () => {
    expect(['88.11', '88.22', '88.33'].map((suffix) => of(suffix))).toEqual(['structured-report', 'structured-report', 'structured-report']);
    expect([of('104.1', { modality: 'DOC' }), of('104.2', { modality: 'DOC' })]).toEqual(['encapsulated-document', 'encapsulated-document']);
  });

  it('takes a scanned page only when its title or series says "report"', () => {
    expect(of('7', { modality: 'OT', seriesDescription: 'Scanned REPORT' })).toBe('scanned-image');
    expect(of('7.4', { modality: 'OT', documentTitle: 'Radiology report p.1' })).toBe('scanned-image');
    expect(of('7', { modality: 'OT', seriesDescription: 'Scout' })).toBeNull();
    // An ordinary image whose description says "report" is not a scanned page.
    expect(of('1.2', { modality: 'MG', seriesDescription: 'report' })).toBeNull();
  });

  it('leaves out dose reports, TID 1500 measurements and key objects, which open as documents or not at all', () => {
    expect([of('88.67'), of('88.34'), of('88.59'), of('104.3')]).toEqual([null, null, null, null]);
    expect(nonImageReason(classifySopClass(`${STORAGE}88.67`))).toBe('imported; opens in the viewer as a document (structured report)');
    expect(nonImageReason(classifySopClass(`${STORAGE}481.5`))).toBe('imported; Concord does not display this radiotherapy object');
  });
});

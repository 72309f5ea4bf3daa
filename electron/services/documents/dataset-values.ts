import type { DicomElement } from 'dcmjs';
import type { CodedConcept } from '../../../shared/reports/document.ts';
import { SR_LIMITS } from '../../../shared/reports/document.ts';

/** A dataset as dcmjs reads it: elements by tag (8 hex digits, upper case). */
export type Dataset = Record<string, DicomElement>;

function bounded(value: string, limit: number): string {
  return value.length > limit ? `${value.slice(0, limit - 1)}…` : value;
}

/** One value as text: person names by their alphabetic group, numbers as written. */
function asText(value: unknown, raw: unknown): string {
  if (typeof raw === 'string') {
    return raw;
  }
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number') {
    return String(value);
  }
  if (value && typeof value === 'object' && 'Alphabetic' in value) {
    return String((value as { Alphabetic?: unknown }).Alphabetic ?? '');
  }
  return '';
}

/**
 * The element's first value as text, trimmed of DICOM padding. Decimal and integer strings keep the
 * digits the file has ("1.30", not 1.3) when the dataset was read with forceStoreRaw.
 */
export function textOf(dataset: Dataset, tag: string, limit = 1024): string {
  const element = dataset[tag];
  const value = element?.Value?.[0];
  const rawValues = element?._rawValue;
  const raw = Array.isArray(rawValues) ? rawValues[0] : element?.vr === 'PN' ? undefined : rawValues;
  return bounded(asText(value, raw).replace(/[\0 ]+$/, '').replace(/^ +/, ''), limit);
}

/** Long text (UT, LT, ST): trailing spaces (padding) removed, line breaks kept, as written. */
export function longTextOf(dataset: Dataset, tag: string): string {
  const element = dataset[tag];
  const raw = Array.isArray(element?._rawValue) ? (element._rawValue as unknown[])[0] : undefined;
  const value = typeof raw === 'string' ? raw : element?.Value?.[0];
  return bounded(typeof value === 'string' ? value.replace(/[\0 ]+$/, '') : '', SR_LIMITS.maxText);
}

export function numbersOf(dataset: Dataset, tag: string): number[] {
  return (dataset[tag]?.Value ?? []).filter((value): value is number => typeof value === 'number' && Number.isFinite(value));
}

export function countOf(dataset: Dataset, tag: string): number {
  return dataset[tag]?.Value?.length ?? 0;
}

/** The items of a sequence (empty when absent or not a sequence). */
export function itemsOf(dataset: Dataset, tag: string): Dataset[] {
  const element = dataset[tag];
  if (!element || element.vr !== 'SQ') {
    return [];
  }
  return (element.Value ?? []).filter((item): item is Dataset => item !== null && typeof item === 'object');
}

/** The first item of a code sequence as a coded concept, or null. */
export function codeOf(dataset: Dataset, tag: string): CodedConcept | null {
  const item = itemsOf(dataset, tag)[0];
  if (!item) {
    return null;
  }
  return {
    value: textOf(item, '00080100') || textOf(item, '00080119') || textOf(item, '00080120'),
    scheme: textOf(item, '00080102'),
    meaning: textOf(item, '00080104'),
  };
}

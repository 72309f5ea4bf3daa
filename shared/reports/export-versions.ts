import type { Report } from './report-model.ts';

/**
 * Versions of a signed report and of what was exported from it. Version 1 is the report as signed;
 * every signed addendum makes the next version. An export belongs to the version that stood when it
 * was made; once an addendum is signed, every export of an earlier version is superseded. The names a
 * person sees (the series description "amended 1", the download's file name) are worded here once.
 */

type Versioned = Pick<Report, 'signature' | 'addenda'>;

/** The report's version now: 0 for an unsigned draft, 1 when signed, one more per signed addendum. */
export function reportVersion(report: Versioned): number {
  return report.signature ? 1 + report.addenda.length : 0;
}

/** The version that stood at `at` (an ISO timestamp): the addenda signed by then count. */
export function versionAt(report: Versioned, at: string): number {
  return report.signature ? 1 + report.addenda.filter((addendum) => addendum.signature.signedAt <= at).length : 0;
}

/** When the version was signed: the report's signature for 1, the addendum's for later ones. */
export function versionSignedAt(report: Versioned, version: number): string | null {
  if (!report.signature || version < 1) {
    return null;
  }
  return version === 1 ? report.signature.signedAt : (report.addenda[version - 2]?.signature.signedAt ?? null);
}

/** "" for the report as first signed, "amended 1" after the first addendum, and so on. */
export function amendmentLabel(version: number): string {
  return version > 1 ? `amended ${version - 1}` : '';
}

export interface VersionedExport {
  kind: Report['exports'][number]['kind'];
  sopInstanceUid: string;
  createdAt: string;
  version: number;
  /** A later version of the report exists: this object no longer says everything that was signed. */
  superseded: boolean;
}

/** The report's exports, each with its version and whether a later version supersedes it. */
export function versionedExports(report: Pick<Report, 'signature' | 'addenda' | 'exports'>): VersionedExport[] {
  const current = reportVersion(report);
  return report.exports.map((entry) => {
    const version = versionAt(report, entry.createdAt);
    return { kind: entry.kind, sopInstanceUid: entry.sopInstanceUid, createdAt: entry.createdAt, version, superseded: version < current };
  });
}

const NAME_LIMIT = 48;

/**
 * The patient part of a file name from a DICOM person name: family and given names of the first
 * group, upper case, letters and digits only (diacritics dropped), joined by "_". Header text is
 * untrusted: nothing of it survives that could be a path, a separator or a control character.
 */
export function fileNamePatient(personName: string): string {
  const [family = '', given = ''] = (personName.split('=').find((group) => group.replace(/\^/g, '').trim() !== '') ?? '').split('^');
  const words = `${family} ${given}`
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  const name = words.join('_').slice(0, NAME_LIMIT).replace(/_+$/, '');
  return name || 'PATIENT';
}

/**
 * "DOE_JANE-2026-12-07-v2-second-opinion.pdf": the patient, the date the version was signed (the
 * report's date when unsigned), the version, what it is. `date` is an ISO timestamp or a DICOM date.
 */
export function exportFileName(personName: string, date: string, version: number, extension: 'pdf' | 'txt' | 'dcm'): string {
  const digits = /^(\d{4})-?(\d{2})-?(\d{2})/.exec(date);
  const day = digits ? `${digits[1]}-${digits[2]}-${digits[3]}` : 'undated';
  const versionPart = version >= 1 ? `-v${Math.trunc(version)}` : '-draft';
  return `${fileNamePatient(personName)}-${day}${versionPart}-second-opinion.${extension}`;
}

/** The file name of an export of the report: named by the version it belongs to. */
export function reportExportFileName(report: Versioned & Pick<Report, 'createdAt'>, personName: string, version: number, extension: 'pdf' | 'txt' | 'dcm'): string {
  return exportFileName(personName, versionSignedAt(report, version) ?? report.createdAt, version, extension);
}

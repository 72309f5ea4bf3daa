import type { CodedConcept, DocumentHeader, SrContentItem } from './document.ts';

/**
 * How the document view words a structured report: one place, so the page and the tests that compare
 * it with dcmtk's dsrdump read the same text.
 */

/** The concept name an item is shown under. */
export function conceptLabel(item: SrContentItem): string {
  return item.concept?.meaning || item.concept?.value || '(no concept name)';
}

/** A DICOM DA, TM or DT value for reading ("2015-03-22 12:47:45"); anything malformed as written. */
export function formatDicomDateTime(value: string, valueType: 'DATE' | 'TIME' | 'DATETIME'): string {
  const date = /^(\d{4})(\d{2})(\d{2})/;
  const time = /^(\d{2})(\d{2})?(\d{2})?(\.\d+)?/;
  if (valueType === 'DATE') {
    const match = date.exec(value);
    return match && value.length === 8 ? `${match[1]}-${match[2]}-${match[3]}` : value;
  }
  if (valueType === 'TIME') {
    const match = time.exec(value);
    return match && /^[\d.]+$/.test(value) ? [match[1], match[2], match[3]].filter(Boolean).join(':') + (match[4] ?? '') : value;
  }
  const match = /^(\d{8})(\d{2,6}(?:\.\d+)?)?([+-]\d{4})?$/.exec(value);
  if (!match) {
    return value;
  }
  const day = formatDicomDateTime(match[1] as string, 'DATE');
  return match[2] ? `${day} ${formatDicomDateTime(match[2], 'TIME')}${match[3] ? ` ${match[3]}` : ''}` : day;
}

/** A unit for reading: the UCUM code itself when it is a plain symbol ("mGy", "cm2"), else its meaning. */
export function unitLabel(unit: CodedConcept | null): string {
  if (!unit) {
    return '';
  }
  const plain = unit.scheme === 'UCUM' && unit.value !== '' && unit.value !== '1' && !unit.value.includes('{');
  return plain ? unit.value : unit.meaning || unit.value;
}

/** A person name (PN) for reading: family name first, components separated by spaces. */
export function formatPersonNameValue(value: string): string {
  const [family = '', given = '', middle = '', prefix = '', suffix = ''] = (value.split('=')[0] ?? '').split('^');
  const rest = [prefix, given, middle, suffix].filter(Boolean).join(' ');
  return family && rest ? `${family}, ${rest}` : family || rest;
}

/** The value an item shows after its concept name; empty for a container (a heading). */
export function itemValueText(item: SrContentItem): string {
  switch (item.valueType) {
    case 'CONTAINER':
      return '';
    case 'TEXT':
    case 'UIDREF':
      return item.text ?? '';
    case 'PNAME':
      return formatPersonNameValue(item.text ?? '');
    case 'DATE':
    case 'TIME':
    case 'DATETIME':
      return formatDicomDateTime(item.text ?? '', item.valueType);
    case 'CODE':
      return item.code ? item.code.meaning || item.code.value : '(no code)';
    case 'NUM': {
      if (item.numeric) {
        const unit = unitLabel(item.numeric.unit);
        return unit ? `${item.numeric.value} ${unit}` : item.numeric.value;
      }
      return item.numericQualifier ? item.numericQualifier.meaning : '(no value)';
    }
    case 'IMAGE':
    case 'COMPOSITE':
    case 'WAVEFORM': {
      const what = item.valueType === 'IMAGE' ? 'image' : item.valueType === 'WAVEFORM' ? 'waveform' : 'object';
      if (!item.reference) {
        return `${what} reference (none given)`;
      }
      const frames = item.reference.frames.length > 0 ? `, frame ${item.reference.frames.join(', ')}` : '';
      return `${what} reference ${item.reference.sopInstanceUid}${frames}`;
    }
    case 'SCOORD':
    case 'SCOORD3D':
      return `region on the image: ${item.graphic?.type || 'shape'}, ${item.graphic?.points ?? 0} point${item.graphic?.points === 1 ? '' : 's'}${item.valueType === 'SCOORD3D' ? ' (3D)' : ''}`;
    case 'TCOORD':
      return `time range: ${item.graphic?.type || 'unspecified'}`;
    case 'TABLE':
      return '(table)';
    case 'BY-REFERENCE':
      return `see item ${item.referencedItem ?? ''}`;
    case 'UNKNOWN':
      return `(value type ${item.rawValueType || 'missing'})`;
  }
}

/** The patient and study lines above a document, omitting what the header leaves empty. */
export function headerLines(header: DocumentHeader): { label: string; value: string }[] {
  const patient = [
    formatPersonNameValue(header.patientName),
    header.patientId && `ID ${header.patientId}`,
    header.patientSex,
    header.patientBirthDate && `born ${formatDicomDateTime(header.patientBirthDate, 'DATE')}`,
  ];
  const study = [header.studyDescription, header.studyDate && formatDicomDateTime(header.studyDate, 'DATE'), header.accessionNumber && `accession ${header.accessionNumber}`];
  const series = [header.seriesDescription, header.seriesNumber && `#${header.seriesNumber}`];
  const content = [header.contentDate && formatDicomDateTime(header.contentDate, 'DATE'), header.contentTime && formatDicomDateTime(header.contentTime, 'TIME')];
  return [
    { label: 'Patient', value: patient.filter(Boolean).join(' · ') },
    { label: 'Study', value: study.filter(Boolean).join(' · ') },
    { label: 'Series', value: series.filter(Boolean).join(' ') },
    { label: 'Manufacturer', value: header.manufacturer },
    { label: 'Content date', value: content.filter(Boolean).join(' ') },
  ].filter((line) => line.value !== '');
}

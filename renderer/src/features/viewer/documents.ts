import type { Instance, Series } from '../../../../shared/api/schemas.ts';

/**
 * Which series the viewer can open: image series in the cornerstone viewport, the rest (reports,
 * PDFs, anything else) as a document in the same cell.
 */

/** A series with instances but nothing to draw as an image: the document view shows it. */
export function isDocumentSeries(series: Series): boolean {
  return series.instances.length > 0 && !series.instances.some((instance) => instance.displayable);
}

/** Reports and PDFs first, then what the card only names. */
function documentRank(instance: Instance): number {
  if (instance.objectKind === 'structured-report') {
    return 0;
  }
  return instance.objectKind === 'encapsulated-document' ? 1 : 2;
}

/**
 * The series to fill the layout's cells with, in order: the image series, or, in a study without
 * images, its document series (reports before PDFs before the rest). The series holding the
 * requested instance comes first either way.
 */
export function openableSeries(all: Series[], sopInstanceUid: string | null): Series[] {
  const images = all.filter((series) => series.instances.some((instance) => instance.displayable));
  const documents = all
    .filter(isDocumentSeries)
    .map((series, index) => ({ series, index, rank: Math.min(...series.instances.map(documentRank)) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map(({ series }) => series);
  const ordered = images.length > 0 ? images : documents;
  const wanted = sopInstanceUid ? all.find((series) => series.instances.some((instance) => instance.sopInstanceUid === sopInstanceUid)) : undefined;
  return wanted ? [wanted, ...ordered.filter((series) => series !== wanted)] : ordered;
}

/** What a document series is, for its button in the series list ("Report", "PDF", "Not displayable"). */
export function documentSeriesLabel(series: Series): string {
  const kinds = new Set(series.instances.map((instance) => instance.objectKind));
  if (kinds.has('structured-report')) {
    return 'Report';
  }
  if (kinds.has('encapsulated-document')) {
    return 'Document';
  }
  return 'Not displayable';
}

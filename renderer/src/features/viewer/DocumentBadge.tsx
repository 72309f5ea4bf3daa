import type { ReactElement } from 'react';
import type { Series } from '../../../../shared/api/schemas.ts';
import { documentSeriesLabel } from './documents.ts';

/** Stands in a document series' button where an image series shows its thumbnail. */
export function DocumentBadge({ series }: { series: Series }): ReactElement {
  const label = documentSeriesLabel(series);
  return (
    <span className="thumbnail document-badge" data-document-badge={label}>
      <svg viewBox="0 0 24 24" width="40" height="40" aria-hidden="true">
        <path d="M6 2h9l5 5v15H6z" fill="none" stroke="currentColor" strokeWidth="1.5" />
        <path d="M15 2v5h5M9 12h8M9 15h8M9 18h5" fill="none" stroke="currentColor" strokeWidth="1.5" />
      </svg>
      <span>{label}</span>
    </span>
  );
}

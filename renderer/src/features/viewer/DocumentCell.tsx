import { useState } from 'react';
import type { ReactElement } from 'react';
import type { Series } from '../../../../shared/api/schemas.ts';
import { useViewer } from '../../state/viewer.ts';
import { DocumentView } from './DocumentView.tsx';

interface Props {
  slot: string;
  series: Series;
  /** Open on this instance when the series holds it. */
  sopInstanceUid?: string | null;
}

/** A viewer cell that shows a non-image series as a document, in place of the image viewport. */
export function DocumentCell({ slot, series, sopInstanceUid = null }: Props): ReactElement {
  const active = useViewer((state) => state.activeSlot === slot);
  const setActive = useViewer((state) => state.setActiveSlot);
  const initial = Math.max(0, series.instances.findIndex((instance) => instance.sopInstanceUid === sopInstanceUid));
  const [index, setIndex] = useState(initial);
  const instance = series.instances[Math.min(index, series.instances.length - 1)];

  return (
    <div
      className={active ? 'cell active document-cell' : 'cell document-cell'}
      data-document-slot={slot}
      data-series-uid={series.seriesInstanceUid}
      onMouseDown={() => setActive(slot)}
    >
      {series.instances.length > 1 && (
        <nav className="document-instances" aria-label="Documents in this series">
          {series.instances.map((candidate, position) => (
            <button
              key={candidate.sopInstanceUid}
              type="button"
              className={position === index ? 'tool active' : 'tool'}
              aria-pressed={position === index}
              onClick={() => setIndex(position)}
            >
              {candidate.documentTitle || `Instance ${candidate.instanceNumber ?? position + 1}`}
            </button>
          ))}
        </nav>
      )}
      <div className="document-scroll">{instance && <DocumentView key={instance.sopInstanceUid} series={series} instance={instance} />}</div>
    </div>
  );
}

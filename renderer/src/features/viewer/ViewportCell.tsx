import { useEffect, useRef } from 'react';
import type { ReactElement } from 'react';
import type { Series, Study } from '../../../../shared/api/schemas.ts';
import { viewportService } from '../../imaging/viewport-service.ts';
import { useViewer } from '../../state/viewer.ts';
import { Overlay } from './Overlay.tsx';

interface Props {
  slot: string;
  study: Study;
  series: Series | null;
  imageIds: string[];
  initialIndex?: number;
}

/** Mounts one element for the viewport service; React never touches cornerstone objects. */
export function ViewportCell({ slot, study, series, imageIds, initialIndex = 0 }: Props): ReactElement {
  const element = useRef<HTMLDivElement>(null);
  const active = useViewer((state) => state.activeSlot === slot);
  const setActive = useViewer((state) => state.setActiveSlot);
  const key = `${series?.seriesInstanceUid ?? ''}:${imageIds.length}`;

  useEffect(() => {
    const target = element.current;
    if (!target || !series) {
      return undefined;
    }
    void viewportService.show(slot, target, {
      imageIds,
      studyInstanceUid: study.studyInstanceUid,
      seriesInstanceUid: series.seriesInstanceUid,
      modality: series.modality,
    }, initialIndex);
    return () => viewportService.hide(slot);
    // The key stands for series and images; the arrays themselves change identity on every render.
  }, [slot, key]);

  return (
    <div className={active ? 'cell active' : 'cell'} onMouseDown={() => setActive(slot)}>
      <div ref={element} className="viewport" data-viewport={slot} onContextMenu={(event) => event.preventDefault()} />
      {series ? <Overlay slot={slot} study={study} series={series} /> : <div className="viewport-message">Empty</div>}
    </div>
  );
}

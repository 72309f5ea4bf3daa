import { useEffect, useRef } from 'react';
import type { ReactElement } from 'react';
import type { Series, Study } from '../../../../shared/api/schemas.ts';
import { viewportService } from '../../imaging/viewport-service.ts';
import { useViewer } from '../../state/viewer.ts';
import { Overlay } from './Overlay.tsx';
import { LinkBadge, useLinked } from './LinkControls.tsx';

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
  const linked = useLinked(slot);
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
    <div className={['cell', active ? 'active' : '', linked ? 'linked' : ''].filter(Boolean).join(' ')} data-linked={linked} onMouseDown={() => setActive(slot)}>
      <div ref={element} className="viewport" data-viewport={slot} onContextMenu={(event) => event.preventDefault()} />
      {series ? <Overlay slot={slot} study={study} series={series} /> : <div className="viewport-message">Empty</div>}
      {series && <ImageSlider slot={slot} />}
      <LinkBadge slot={slot} />
    </div>
  );
}

/** The stack's scroll bar: it asks for an image; the overlay says which one is drawn. */
function ImageSlider({ slot }: { slot: string }): ReactElement | null {
  const count = useViewer((state) => state.slots[slot]?.imageCount ?? 0);
  const requested = useViewer((state) => state.slots[slot]?.requestedIndex ?? state.slots[slot]?.imageIndex ?? 0);
  if (count < 2) {
    return null;
  }
  return (
    <input
      type="range"
      className="image-slider"
      aria-label="Image in series"
      min={0}
      max={count - 1}
      step={1}
      value={requested}
      onChange={(event) => viewportService.goTo(slot, Number(event.target.value))}
      onKeyDown={(event) => event.stopPropagation()}
    />
  );
}

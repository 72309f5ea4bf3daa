import { useEffect, useRef, useState } from 'react';
import type { ReactElement } from 'react';
import { renderThumbnail } from '../imaging/thumbnails.ts';

interface Props {
  imageId: string | null;
}

/** A series' middle image, small, drawn into its own canvas (no viewport, no tools). */
export function SeriesThumbnail({ imageId }: Props): ReactElement {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'none'>(imageId ? 'loading' : 'none');
  useEffect(() => {
    if (!imageId || !canvas.current) {
      return;
    }
    let live = true;
    renderThumbnail(canvas.current, imageId).then(
      () => live && setState('ready'),
      () => live && setState('none'),
    );
    return () => {
      live = false;
    };
  }, [imageId]);
  return (
    <span className="thumbnail" data-thumbnail={state}>
      <canvas ref={canvas} width={96} height={96} aria-hidden="true" />
      {state === 'none' && <span className="muted">no image</span>}
    </span>
  );
}

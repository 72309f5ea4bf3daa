import { useEffect, useRef, useState } from 'react';
import type { ReactElement } from 'react';
import type { Series } from '../../../../shared/api/schemas.ts';
import { imageIdsOf } from '../../imaging/image-ids.ts';
import { renderThumbnail } from '../../imaging/thumbnails.ts';

/** A scanned report page (an image instance) drawn to the pane's width: a picture to read, no tools. */
export function ScannedPage({ series, sopInstanceUid }: { series: Series; sopInstanceUid: string }): ReactElement {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'failed'>('loading');
  useEffect(() => {
    const instances = series.instances.filter((instance) => instance.sopInstanceUid === sopInstanceUid);
    const [imageId] = imageIdsOf({ ...series, instances });
    if (!imageId || !canvas.current) {
      setState('failed');
      return undefined;
    }
    let live = true;
    renderThumbnail(canvas.current, imageId).then(
      () => live && setState('ready'),
      () => live && setState('failed'),
    );
    return () => {
      live = false;
    };
  }, [series, sopInstanceUid]);
  return (
    <figure className="scanned-page" data-scanned-page={state} data-sop-instance-uid={sopInstanceUid}>
      <canvas ref={canvas} width={720} height={960} aria-label="Scanned report page" />
      {state === 'failed' && <figcaption className="error">The scanned page cannot be drawn; it is among the study's images in the viewer.</figcaption>}
    </figure>
  );
}

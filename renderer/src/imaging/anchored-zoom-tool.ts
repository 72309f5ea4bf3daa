import { getEnabledElement } from '@cornerstonejs/core';
import type { Types } from '@cornerstonejs/core';
import { ZoomTool } from '@cornerstonejs/tools';
import type { Types as ToolTypes } from '@cornerstonejs/tools';

/**
 * Magnifies a stack viewport by `factor` about a canvas point (CSS pixels from the canvas' top left):
 * the image point under it keeps its place on screen. The focal point moves toward that point by the
 * share the view shrinks.
 */
export function zoomCameraAbout(viewport: Types.IStackViewport, point: Types.Point2, factor: number): void {
  const { focalPoint, position, parallelScale } = viewport.getCamera();
  if (!focalPoint || !position || !parallelScale || !(factor > 0) || !Number.isFinite(factor)) {
    return;
  }
  const anchor = viewport.canvasToWorld(point);
  const share = 1 - 1 / factor;
  const shift = [0, 1, 2].map((axis) => ((anchor[axis] as number) - (focalPoint[axis] as number)) * share);
  const moved = (from: Types.Point3): Types.Point3 => [from[0] + (shift[0] as number), from[1] + (shift[1] as number), from[2] + (shift[2] as number)];
  viewport.setCamera({ parallelScale: parallelScale / factor, focalPoint: moved(focalPoint), position: moved(position) });
}

/**
 * Cornerstone's zoom drag, anchored exactly at the point pressed: dragging down magnifies, up
 * reduces, at cornerstone's rate, and the image point under the press stays under it throughout
 * (cornerstone's own drag approximates that and drifts by pixels over a long drag).
 */
export class AnchoredZoomTool extends ZoomTool {
  static override toolName = 'Zoom';

  constructor(toolProps = {}) {
    super(toolProps);
    this.mouseDragCallback = (evt: ToolTypes.EventTypes.InteractionEventType) => this.anchoredDrag(evt);
  }

  private anchoredDrag(evt: ToolTypes.EventTypes.InteractionEventType): void {
    const { element, deltaPoints, startPoints } = evt.detail;
    const viewport = getEnabledElement(element)?.viewport as Types.IStackViewport | undefined;
    if (!viewport || typeof viewport.getCamera !== 'function') {
      return;
    }
    const k = (deltaPoints.canvas[1] * 5) / Math.max(1, element.clientHeight);
    zoomCameraAbout(viewport, startPoints.canvas, 1 / Math.max(0.05, 1 - k));
    viewport.render();
  }
}

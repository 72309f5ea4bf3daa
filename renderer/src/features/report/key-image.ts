import { getEnabledElement } from '@cornerstonejs/core';
import { annotation } from '@cornerstonejs/tools';
import { useViewer } from '../../state/viewer.ts';

/**
 * What the reporting pane takes from the viewer: the active viewport's picture as PNG with the image
 * it shows (SOP Instance UID and frame), and the measurements and annotations drawn on that image.
 * Read from the viewer's state and cornerstone's, never changing either.
 */

export interface ViewportCapture {
  sopInstanceUid: string;
  /** 1-based frame of a multi-frame image; null for a single-frame one. */
  frame: number | null;
  pngBase64: string;
}

export interface ImageAnnotation {
  annotationUid: string;
  sopInstanceUid: string;
  frame: number | null;
  /** "Length", "EllipticalROI", ...: the tool that drew it. */
  tool: string;
}

/** The image id's SOP Instance UID and frame (image-ids.ts writes `/dicom/<uid>[?frame=N]`). */
export function imageOfImageId(imageId: string): { sopInstanceUid: string; frame: number | null } | null {
  const match = /\/dicom\/([0-9.]{1,64})(?:\?frame=(\d+))?$/.exec(imageId);
  return match ? { sopInstanceUid: match[1] as string, frame: match[2] ? Number(match[2]) : null } : null;
}

function activeElement(): HTMLDivElement | null {
  const slot = useViewer.getState().activeSlot ?? 'vp-0';
  return document.querySelector<HTMLDivElement>(`[data-viewport="${CSS.escape(slot)}"]`);
}

/** The image the active viewport shows now; null when it shows none (a document, an empty cell). */
export function activeImage(): { sopInstanceUid: string; frame: number | null } | null {
  const element = activeElement();
  const imageId = element ? getEnabledElement(element)?.viewport.getCurrentImageId() : undefined;
  return imageId ? imageOfImageId(imageId) : null;
}

/** The active viewport's canvas as PNG, as the reader sees it (window, zoom, annotations drawn). */
export function captureActiveViewport(): ViewportCapture | null {
  const element = activeElement();
  const image = activeImage();
  const canvas = element?.querySelector('canvas');
  if (!image || !canvas) {
    return null;
  }
  const [, base64 = ''] = canvas.toDataURL('image/png').split(',', 2);
  return base64 ? { ...image, pngBase64: base64 } : null;
}

/** The measurements and annotations drawn on the active viewport's image. */
export function annotationsOnActiveImage(): ImageAnnotation[] {
  const image = activeImage();
  if (!image) {
    return [];
  }
  return annotation.state.getAllAnnotations().flatMap((entry) => {
    const referenced = entry.metadata?.referencedImageId;
    const drawnOn = referenced ? imageOfImageId(referenced) : null;
    if (!entry.annotationUID || !drawnOn || drawnOn.sopInstanceUid !== image.sopInstanceUid || drawnOn.frame !== image.frame) {
      return [];
    }
    return [{ annotationUid: entry.annotationUID, ...drawnOn, tool: entry.metadata?.toolName ?? 'annotation' }];
  });
}

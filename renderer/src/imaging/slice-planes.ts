import type { SlicePlane } from '../../../shared/dicom/slice-geometry.ts';

/**
 * Each image's plane in the patient, by image id, from the library's index (registered with the image
 * ids, before any pixel is loaded): slice synchronisation needs every slice's position, not only
 * those of images cornerstone has loaded.
 */
const planes = new Map<string, SlicePlane | null>();

export function registerPlane(imageId: string, plane: SlicePlane | null): void {
  planes.set(imageId, plane);
}

export function planeOf(imageId: string): SlicePlane | null {
  return planes.get(imageId) ?? null;
}

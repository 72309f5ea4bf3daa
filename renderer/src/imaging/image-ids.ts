import type { Instance, Series } from '../../../shared/api/schemas.ts';
import { slicePlane } from '../../../shared/dicom/slice-geometry.ts';
import { registerCalibration } from './init.ts';
import { registerPlane } from './slice-planes.ts';

/**
 * Image ids of one instance (each frame of a multi-frame one), by URL from the library's store. Each
 * carries Concord's calibration of it and its plane in the patient.
 */
export function instanceImageIds(series: Series, instance: Instance): string[] {
  const url = `wadouri:${location.origin}/dicom/${instance.sopInstanceUid}`;
  const ids = instance.numberOfFrames > 1 ? Array.from({ length: instance.numberOfFrames }, (_, frame) => `${url}?frame=${frame + 1}`) : [url];
  // A multi-frame instance has a position per frame (functional groups), which the index does not hold.
  const plane = instance.numberOfFrames > 1 ? null : slicePlane(instance.imagePositionPatient, instance.imageOrientationPatient);
  for (const id of ids) {
    registerCalibration(id, { modality: series.modality, ...instance.calibration });
    registerPlane(id, plane);
  }
  return ids;
}

/** Image ids for the loader: every frame of every displayable instance. */
export function imageIdsOf(series: Series): string[] {
  return series.instances.filter((instance) => instance.displayable).flatMap((instance) => instanceImageIds(series, instance));
}

/** The image a series is recognised by: its middle one (null when nothing in it can be shown). */
export function representativeImageId(series: Series): string | null {
  const ids = imageIdsOf(series);
  return ids[Math.floor(ids.length / 2)] ?? null;
}

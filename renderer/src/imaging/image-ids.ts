import type { Instance, Series } from '../../../shared/api/schemas.ts';
import { slicePlane } from '../../../shared/dicom/slice-geometry.ts';
import type { SlicePlane } from '../../../shared/dicom/slice-geometry.ts';
import { registerCalibration } from './init.ts';

/** Image ids of one instance (each frame of a multi-frame one), each registered with Concord's calibration of it. */
export function instanceImageIds(series: Series, instance: Instance): string[] {
  const url = `wadouri:${location.origin}/dicom/${instance.sopInstanceUid}`;
  const ids = instance.numberOfFrames > 1 ? Array.from({ length: instance.numberOfFrames }, (_, frame) => `${url}?frame=${frame + 1}`) : [url];
  for (const id of ids) {
    registerCalibration(id, { modality: series.modality, ...instance.calibration });
  }
  return ids;
}

/**
 * Image ids for the loader: every frame of every displayable instance, by URL from the library's
 * store. Each carries Concord's calibration of it.
 */
export function imageIdsOf(series: Series): string[] {
  return series.instances.filter((instance) => instance.displayable).flatMap((instance) => instanceImageIds(series, instance));
}

/**
 * Each image's plane, in the order of `imageIdsOf`. A multi-frame instance has one position per frame
 * (in its functional groups), which the library does not index: its frames have no plane here.
 */
export function planesOf(series: Series): (SlicePlane | null)[] {
  return series.instances
    .filter((instance) => instance.displayable)
    .flatMap((instance) =>
      instance.numberOfFrames > 1
        ? Array.from({ length: instance.numberOfFrames }, () => null)
        : [slicePlane(instance.imagePositionPatient, instance.imageOrientationPatient)],
    );
}

/** The image a series is recognised by: its middle one (null when nothing in it can be shown). */
export function representativeImageId(series: Series): string | null {
  const ids = imageIdsOf(series);
  return ids[Math.floor(ids.length / 2)] ?? null;
}

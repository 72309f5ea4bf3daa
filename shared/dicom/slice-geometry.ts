/**
 * Where cross-sectional slices lie in the patient: Image Position (Patient) projected on the normal of
 * Image Orientation (Patient) (PS3.3 C.7.6.2.1.1). Slice synchronisation compares these positions: within
 * one Frame of Reference directly, across frames of reference through an offset the reader sets.
 */

export type Vector3 = [number, number, number];

/** One slice's plane: its first pixel's position and the unit normal (row direction x column direction). */
export interface SlicePlane {
  position: Vector3;
  normal: Vector3;
}

/** Planes this close to parallel (cosine of the angle between normals) count as the same orientation. */
const PARALLEL_COSINE = 0.99;

function numbersOf(text: string | null | undefined, count: number): number[] | null {
  if (!text) {
    return null;
  }
  const values = text.split('\\').map((part) => Number(part.trim()));
  return values.length === count && values.every(Number.isFinite) ? values : null;
}

export function cross(a: Vector3, b: Vector3): Vector3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

export function dot(a: Vector3, b: Vector3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

/** A slice's plane from the header's DS strings (backslash separated); null when either is missing or malformed. */
export function slicePlane(imagePositionPatient: string | null | undefined, imageOrientationPatient: string | null | undefined): SlicePlane | null {
  const position = numbersOf(imagePositionPatient, 3);
  const orientation = numbersOf(imageOrientationPatient, 6);
  if (!position || !orientation) {
    return null;
  }
  const normal = cross(orientation.slice(0, 3) as Vector3, orientation.slice(3, 6) as Vector3);
  const length = Math.hypot(...normal);
  if (length < 1e-6) {
    return null;
  }
  return { position: position as Vector3, normal: normal.map((value) => value / length) as Vector3 };
}

/** The slice's distance along its own normal, in mm: the coordinate slices of one stack are compared by. */
export function slicePosition(plane: SlicePlane): number {
  return dot(plane.position, plane.normal);
}

export function parallel(a: SlicePlane, b: SlicePlane): boolean {
  return Math.abs(dot(a.normal, b.normal)) >= PARALLEL_COSINE;
}

/**
 * The index of the slice of `planes` nearest to a patient position, measured along `normal` (the
 * source's): null when no slice of the stack has a plane parallel to it.
 */
export function nearestSlice(planes: readonly (SlicePlane | null)[], point: Vector3, normal: Vector3): number | null {
  const target = dot(point, normal);
  let best: number | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  planes.forEach((plane, index) => {
    if (!plane || Math.abs(dot(plane.normal, normal)) < PARALLEL_COSINE) {
      return;
    }
    const distance = Math.abs(dot(plane.position, normal) - target);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = index;
    }
  });
  return best;
}

/** The index of the slice whose own position along its normal is nearest to `position` (mm). */
export function nearestSliceAt(planes: readonly (SlicePlane | null)[], position: number): number | null {
  let best: number | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  planes.forEach((plane, index) => {
    if (!plane) {
      return;
    }
    const distance = Math.abs(slicePosition(plane) - position);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = index;
    }
  });
  return best;
}

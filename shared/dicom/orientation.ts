/**
 * Orientation markers for the four edges of a displayed image, from Image Orientation (Patient) for
 * cross-sectional images or Patient Orientation for projection images, after the viewer's flips and
 * rotation. Letters: L/R (patient left/right), A/P (anterior/posterior), H/F (head/foot).
 */
export interface DisplayTransform {
  flipHorizontal: boolean;
  flipVertical: boolean;
  /** Clockwise, a multiple of 90. */
  rotation: number;
}

export interface EdgeMarkers {
  left: string;
  right: string;
  top: string;
  bottom: string;
}

const OPPOSITE: Record<string, string> = { L: 'R', R: 'L', A: 'P', P: 'A', H: 'F', F: 'H' };

function opposite(direction: string): string {
  return direction
    .split('')
    .map((c) => OPPOSITE[c] ?? c)
    .join('');
}

/** The patient direction a vector points to, strongest component first (e.g. "LP"). */
export function directionOf(vector: [number, number, number]): string {
  const letters: [string, number][] = [
    [vector[0] > 0 ? 'L' : 'R', Math.abs(vector[0])],
    [vector[1] > 0 ? 'P' : 'A', Math.abs(vector[1])],
    [vector[2] > 0 ? 'H' : 'F', Math.abs(vector[2])],
  ];
  return letters
    .filter(([, size]) => size > 0.25)
    .sort((a, b) => b[1] - a[1])
    .map(([letter]) => letter)
    .join('');
}

/**
 * Directions of increasing column (toward the right edge) and increasing row (toward the bottom)
 * of the image as stored.
 */
export function storedDirections(input: { imageOrientationPatient?: number[] | null; patientOrientation?: string | null }): [string, string] | null {
  const iop = input.imageOrientationPatient;
  if (iop && iop.length === 6 && iop.every(Number.isFinite)) {
    return [directionOf([iop[0], iop[1], iop[2]] as [number, number, number]), directionOf([iop[3], iop[4], iop[5]] as [number, number, number])];
  }
  const parts = (input.patientOrientation ?? '').split('\\').map((p) => p.trim().toUpperCase());
  if (parts.length === 2 && parts.every((p) => /^[LRAPHF]+$/.test(p))) {
    return [parts[0] as string, parts[1] as string];
  }
  return null;
}

export function edgeMarkers(
  input: { imageOrientationPatient?: number[] | null; patientOrientation?: string | null },
  transform: DisplayTransform,
): EdgeMarkers | null {
  const stored = storedDirections(input);
  if (!stored) {
    return null;
  }
  let [right, bottom] = stored;
  if (transform.flipHorizontal) {
    right = opposite(right);
  }
  if (transform.flipVertical) {
    bottom = opposite(bottom);
  }
  const turns = (((Math.round(transform.rotation / 90) % 4) + 4) % 4);
  for (let i = 0; i < turns; i += 1) {
    // Rotating clockwise: what was at the top comes to the right; what was at the right goes down.
    [right, bottom] = [opposite(bottom), right];
  }
  return { right, left: opposite(right), bottom, top: opposite(bottom) };
}

/**
 * Pure display math for the viewer: DICOM windows (PS3.3 C.11.2.1.2), the window a header states
 * (Window Center/Width, else a VOI LUT Sequence), a series' pixel range from percentiles, presets
 * relative to that range, and zoom about a point. Data in, data out: the renderer applies it.
 */

/** A window as DICOM states it: centre and width. */
export interface DisplayWindow {
  center: number;
  width: number;
}

/** A range of modality values (after rescale): lowest and highest shown. */
export interface ValueRange {
  lower: number;
  upper: number;
}

/** DICOM's linear window as the range mapped to black..white (the same formula both ways). */
export function rangeOfWindow(window: DisplayWindow): ValueRange {
  return { lower: window.center - 0.5 - (window.width - 1) / 2, upper: window.center - 0.5 + (window.width - 1) / 2 };
}

export function windowOfRange(range: ValueRange): DisplayWindow {
  return { center: (range.lower + range.upper + 1) / 2, width: range.upper - range.lower + 1 };
}

/** One VOI LUT Sequence item as the DICOM image loader reads it. */
export interface VoiLut {
  firstValueMapped: number;
  lut: ArrayLike<number>;
}

/**
 * The linear window closest to a VOI LUT: from the last input still at the LUT's lowest output to
 * the first input at its highest. The GPU renderer applies windows, not tables, so a vendor's LUT
 * (often a curve) is shown by the window spanning its rise. Null for an empty or flat LUT.
 */
export function windowOfVoiLut(voiLut: VoiLut): DisplayWindow | null {
  const { lut, firstValueMapped } = voiLut;
  if (!lut || lut.length < 2 || !Number.isFinite(firstValueMapped)) {
    return null;
  }
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < lut.length; i += 1) {
    const value = lut[i] as number;
    min = Math.min(min, value);
    max = Math.max(max, value);
  }
  if (!(max > min)) {
    return null;
  }
  let start = 0;
  while (start + 1 < lut.length && (lut[start + 1] as number) === min) {
    start += 1;
  }
  let end = lut.length - 1;
  while (end - 1 > start && (lut[end - 1] as number) === max) {
    end -= 1;
  }
  // A falling LUT (inverted) spans the same inputs.
  if ((lut[0] as number) > (lut[lut.length - 1] as number)) {
    start = 0;
    while (start + 1 < lut.length && (lut[start + 1] as number) === max) {
      start += 1;
    }
    end = lut.length - 1;
    while (end - 1 > start && (lut[end - 1] as number) === min) {
      end -= 1;
    }
  }
  return windowOfRange({ lower: firstValueMapped + start, upper: firstValueMapped + Math.max(end, start + 1) });
}

/** What a header says of its window: Window Center and Width (first pair), a VOI LUT Sequence, the VOI LUT Function. */
export interface HeaderVoi {
  windowCenter?: number | number[] | undefined;
  windowWidth?: number | number[] | undefined;
  voiLUTSequence?: VoiLut[] | undefined;
}

/**
 * The header's own window: its first Window Center/Width pair when valid, else the window of its
 * first VOI LUT; null when the header states neither (the caller falls back to the pixels).
 */
export function headerWindow(voi: HeaderVoi | undefined): DisplayWindow | null {
  if (!voi) {
    return null;
  }
  const first = (value: number | number[] | undefined): number => Number(Array.isArray(value) ? value[0] : value);
  const center = first(voi.windowCenter);
  const width = first(voi.windowWidth);
  if (voi.windowCenter !== undefined && voi.windowWidth !== undefined && Number.isFinite(center) && Number.isFinite(width) && width >= 1) {
    return { center, width };
  }
  const lut = voi.voiLUTSequence?.[0];
  return lut ? windowOfVoiLut(lut) : null;
}

/**
 * The range between two percentiles of stored values turned into modality values, sampled every
 * `stride` pixels (a series' range is computed once from one slice: it needs to be robust, not exact).
 */
export function percentileRange(
  values: ArrayLike<number>,
  { slope = 1, intercept = 0, low = 0.005, high = 0.995, stride = 1 }: { slope?: number; intercept?: number; low?: number; high?: number; stride?: number } = {},
): ValueRange | null {
  const step = Math.max(1, Math.floor(stride));
  const sample = new Float64Array(Math.ceil(values.length / step));
  let count = 0;
  for (let i = 0; i < values.length; i += step) {
    const value = (values[i] as number) * slope + intercept;
    if (Number.isFinite(value)) {
      sample[count] = value;
      count += 1;
    }
  }
  if (count === 0) {
    return null;
  }
  const sorted = sample.subarray(0, count).sort();
  const at = (fraction: number): number => sorted[Math.min(count - 1, Math.max(0, Math.round(fraction * (count - 1))))] as number;
  const lower = at(low);
  const upper = at(high);
  return { lower, upper: upper > lower ? upper : lower + 1 };
}

/** A window given as fractions of a range: centre at `center` of the way up, `width` of the range wide. */
export interface RelativeWindow {
  center: number;
  width: number;
}

export function relativeWindow(range: ValueRange, relative: RelativeWindow): DisplayWindow {
  const span = Math.max(1, range.upper - range.lower);
  return { center: range.lower + relative.center * span, width: Math.max(1, relative.width * span) };
}

/** Zoom and pan of an image in a viewport: magnification, and the image centre's offset from the canvas centre (CSS pixels). */
export interface ZoomPan {
  zoom: number;
  pan: [number, number];
}

/**
 * Magnifies by `factor` about `anchor` (a canvas point, as an offset from the canvas centre in CSS
 * pixels): the image point under the anchor stays where it is on screen.
 */
export function zoomAbout(view: ZoomPan, factor: number, anchor: [number, number]): ZoomPan {
  return {
    zoom: view.zoom * factor,
    pan: [anchor[0] + factor * (view.pan[0] - anchor[0]), anchor[1] + factor * (view.pan[1] - anchor[1])],
  };
}

/** The wheel's zoom step: one notch (deltaY of about 100) magnifies by 1.15, reversed for the other direction. */
export function wheelZoomFactor(deltaY: number): number {
  const notches = Math.max(-5, Math.min(5, deltaY / 100));
  return Math.pow(1.15, -notches);
}

/** A VOI LUT Sequence item as a naturalized header holds it (dcmjs names): descriptor and data in any of their forms. */
export interface NaturalizedVoiLut {
  LUTDescriptor?: unknown;
  LUTData?: unknown;
}

/** An ArrayBuffer or a view of one, from whichever realm (a worker's, a frame's) it was made in. */
function bytesOf(value: unknown): Uint8Array | null {
  if (ArrayBuffer.isView(value)) {
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  }
  const tag = Object.prototype.toString.call(value);
  return tag === '[object ArrayBuffer]' || tag === '[object SharedArrayBuffer]' ? new Uint8Array(value as ArrayBuffer) : null;
}

function wordsOf(data: unknown, count: number): number[] | null {
  const bytes = bytesOf(Array.isArray(data) && data.length === 1 ? data[0] : data);
  if (bytes) {
    // Entries of 8 bits fill one byte each; otherwise 16-bit little-endian words.
    if (bytes.length === count) {
      return Array.from(bytes);
    }
    const words: number[] = [];
    for (let i = 0; i + 1 < bytes.length && words.length < count; i += 2) {
      words.push((bytes[i] as number) | ((bytes[i + 1] as number) << 8));
    }
    return words;
  }
  if (Array.isArray(data) && data.every((value) => typeof value === 'number')) {
    return data.slice(0, count) as number[];
  }
  return null;
}

/**
 * A VOI LUT Sequence item of a naturalized header as the window math needs it: the LUT Descriptor
 * (entries, 0 meaning 65536; first value mapped, signed when the pixels are) and the LUT Data.
 * Null for an item that cannot be read.
 */
export function voiLutOf(item: NaturalizedVoiLut | undefined, signedPixels: boolean): VoiLut | null {
  const descriptor = Array.isArray(item?.LUTDescriptor) ? (item.LUTDescriptor as unknown[]).map(Number) : [];
  if (descriptor.length < 3 || !descriptor.every(Number.isFinite)) {
    return null;
  }
  const count = descriptor[0] === 0 ? 65536 : (descriptor[0] as number);
  const first = descriptor[1] as number;
  const firstValueMapped = signedPixels && first > 32767 ? first - 65536 : first;
  const lut = wordsOf(item?.LUTData, count);
  return lut && lut.length >= 2 ? { firstValueMapped, lut } : null;
}

import { describe, expect, it } from 'vitest';
import {
  headerWindow, percentileRange, rangeOfWindow, relativeWindow, voiLutOf, wheelZoomFactor, windowOfRange, windowOfVoiLut, zoomAbout,
} from '../../shared/dicom/display-window.ts';

describe('DICOM windows', () => {
  it('turns a window into the range shown black to white and back (PS3.3 C.11.2.1.2.1)', () => {
    expect(rangeOfWindow({ center: 2048, width: 4096 })).toEqual({ lower: 0, upper: 4095 });
    expect(windowOfRange({ lower: 0, upper: 4095 })).toEqual({ center: 2048, width: 4096 });
    expect(windowOfRange(rangeOfWindow({ center: 40.5, width: 401 }))).toEqual({ center: 40.5, width: 401 });
  });

  it('takes the header\'s first window pair, else its VOI LUT, else says it has none', () => {
    expect(headerWindow({ windowCenter: [1800, 2000], windowWidth: [900, 1200] })).toEqual({ center: 1800, width: 900 });
    expect(headerWindow({ windowCenter: 600, windowWidth: 1200 })).toEqual({ center: 600, width: 1200 });
    // A width below 1 is no window: the LUT is used.
    const lut = { firstValueMapped: 100, lut: [0, 0, 0, 10, 20, 30, 40, 40] };
    expect(headerWindow({ windowCenter: 5, windowWidth: 0, voiLUTSequence: [lut] })).toEqual(windowOfVoiLut(lut));
    expect(headerWindow({})).toBeNull();
    expect(headerWindow(undefined)).toBeNull();
  });

  it('shows a VOI LUT by the window spanning its rise: from the last input at its lowest output to the first at its highest', () => {
    // Inputs 100..107; the output leaves 0 after input 102 and reaches 40 at input 106.
    const window = windowOfVoiLut({ firstValueMapped: 100, lut: [0, 0, 0, 10, 20, 30, 40, 40] }) as { center: number; width: number };
    expect(rangeOfWindow(window)).toEqual({ lower: 102, upper: 106 });
    // A falling LUT spans the same inputs.
    const falling = windowOfVoiLut({ firstValueMapped: 100, lut: [40, 40, 40, 30, 20, 10, 0, 0] }) as { center: number; width: number };
    expect(rangeOfWindow(falling)).toEqual({ lower: 102, upper: 106 });
    expect(windowOfVoiLut({ firstValueMapped: 0, lut: [5, 5, 5] })).toBeNull();
    expect(windowOfVoiLut({ firstValueMapped: 0, lut: [] })).toBeNull();
  });
});

describe('a series\' pixel range and presets relative to it', () => {
  it('takes percentiles of the modality values, ignoring a few outliers', () => {
    const values = Array.from({ length: 1000 }, (_, i) => i);
    values[0] = -30000;
    values[999] = 60000;
    const range = percentileRange(values, { low: 0.01, high: 0.99 }) as { lower: number; upper: number };
    expect(range.lower).toBeCloseTo(10, 0);
    expect(range.upper).toBeCloseTo(989, 0);
    // Rescale applied: stored 0..999 at slope 2, intercept -1000.
    const rescaled = percentileRange(Array.from({ length: 1000 }, (_, i) => i), { slope: 2, intercept: -1000, low: 0, high: 1 });
    expect(rescaled).toEqual({ lower: -1000, upper: 998 });
    expect(percentileRange([])).toBeNull();
    // A flat image still has a range one wide.
    expect(percentileRange([7, 7, 7])).toEqual({ lower: 7, upper: 8 });
  });

  it('places a relative preset inside the range, whatever its scale', () => {
    expect(relativeWindow({ lower: 0, upper: 1000 }, { center: 0.4, width: 0.8 })).toEqual({ center: 400, width: 800 });
    // A scanner whose breast values reach 30000: the same preset scales with it, never a fixed number.
    expect(relativeWindow({ lower: 0, upper: 30000 }, { center: 0.4, width: 0.8 })).toEqual({ center: 12000, width: 24000 });
    expect(relativeWindow({ lower: 5, upper: 5 }, { center: 0.5, width: 0.5 }).width).toBe(1);
  });
});

describe('zoom about a point', () => {
  it('keeps the image point under the anchor where it is on screen', () => {
    const before = { zoom: 1, pan: [-40, 10] as [number, number] };
    const anchor: [number, number] = [120, -80];
    const after = zoomAbout(before, 2, anchor);
    expect(after.zoom).toBe(2);
    // An image point at offset d from the image centre is drawn at pan + zoom * d: the one under the anchor stays.
    const d = [(anchor[0] - before.pan[0]) / before.zoom, (anchor[1] - before.pan[1]) / before.zoom];
    expect(after.pan[0] + after.zoom * (d[0] as number)).toBeCloseTo(anchor[0], 9);
    expect(after.pan[1] + after.zoom * (d[1] as number)).toBeCloseTo(anchor[1], 9);
    // Zooming back out about the same point returns to where it was.
    const back = zoomAbout(after, 0.5, anchor);
    expect(back.pan[0]).toBeCloseTo(before.pan[0], 9);
    expect(back.pan[1]).toBeCloseTo(before.pan[1], 9);
  });

  it('magnifies a notch of the wheel towards the reader, and reduces the other way', () => {
    expect(wheelZoomFactor(-100)).toBeCloseTo(1.15, 9);
    expect(wheelZoomFactor(100)).toBeCloseTo(1 / 1.15, 9);
    expect(wheelZoomFactor(-100000)).toBeCloseTo(Math.pow(1.15, 5), 9);
  });
});

describe('a VOI LUT Sequence item as a naturalized header holds it', () => {
  it('reads the descriptor and 16-bit LUT Data given as an ArrayBuffer, a list of them or numbers', () => {
    const words = new Uint16Array([0, 0, 100, 4095]);
    const expected = { firstValueMapped: 1024, lut: [0, 0, 100, 4095] };
    expect(voiLutOf({ LUTDescriptor: [4, 1024, 16], LUTData: [words.buffer] }, false)).toEqual(expected);
    expect(voiLutOf({ LUTDescriptor: [4, 1024, 16], LUTData: words.buffer }, false)).toEqual(expected);
    expect(voiLutOf({ LUTDescriptor: [4, 1024, 16], LUTData: [0, 0, 100, 4095] }, false)).toEqual(expected);
  });

  it('reads a signed first value mapped for signed pixels, 8-bit entries, and refuses what it cannot read', () => {
    expect(voiLutOf({ LUTDescriptor: [3, 65436, 8], LUTData: new Uint8Array([0, 128, 255]).buffer }, true)).toEqual({ firstValueMapped: -100, lut: [0, 128, 255] });
    expect(voiLutOf({ LUTDescriptor: [3, 65436, 8], LUTData: new Uint8Array([0, 128, 255]).buffer }, false)?.firstValueMapped).toBe(65436);
    expect(voiLutOf({ LUTDescriptor: [3, 0], LUTData: [1, 2, 3] }, false)).toBeNull();
    expect(voiLutOf({ LUTDescriptor: [3, 0, 16], LUTData: 'text' }, false)).toBeNull();
    expect(voiLutOf(undefined, false)).toBeNull();
  });
});

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import openJpegFactory from '@cornerstonejs/codec-openjpeg/decodewasmjs';
import dicomParser from 'dicom-parser';

/**
 * The decoder alone: the OpenJPEG WebAssembly build that cornerstone's image loader decodes JPEG 2000
 * with, run on the files' codestreams one after the other in one thread, with no fetching, no
 * parsing beyond the pixel data fragments, and no drawing. Returns seconds for all the files.
 */
export async function decodeJpeg2000Seconds(files: string[]): Promise<{ seconds: number; pixels: number }> {
  const wasm = createRequire(import.meta.url).resolve('@cornerstonejs/codec-openjpeg/decodewasm');
  // Quiet: the build prints a line per header it reads.
  const quiet = (): void => undefined;
  const codec = await openJpegFactory({ locateFile: (file) => (file.endsWith('.wasm') ? wasm : file), print: quiet, printErr: quiet });
  const decoder = new codec.J2KDecoder();
  const codestreams = files.map((file) => {
    const dataSet = dicomParser.parseDicom(readFileSync(file));
    const element = dataSet.elements.x7fe00010;
    if (!element?.encapsulatedPixelData) {
      throw new Error(`${file} holds no encapsulated pixel data`);
    }
    return dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, element, 0);
  });
  let pixels = 0;
  const started = performance.now();
  for (const codestream of codestreams) {
    decoder.getEncodedBuffer(codestream.length).set(codestream);
    decoder.decode();
    const info = decoder.getFrameInfo();
    pixels += info.width * info.height;
  }
  return { seconds: (performance.now() - started) / 1000, pixels };
}

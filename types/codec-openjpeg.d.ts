declare module '@cornerstonejs/codec-openjpeg/decodewasmjs' {
  /** The parts of the OpenJPEG WebAssembly decoder (the one cornerstone's image loader uses) the benchmark calls. */
  interface J2KDecoder {
    getEncodedBuffer(length: number): Uint8Array;
    decode(): void;
    getDecodedBuffer(): Uint8Array;
    getFrameInfo(): { width: number; height: number; bitsPerSample: number; componentCount: number; isSigned: boolean };
  }
  const factory: (options?: { locateFile?: (file: string) => string; print?: (text: string) => void; printErr?: (text: string) => void }) => Promise<{ J2KDecoder: new () => J2KDecoder }>;
  export default factory;
}

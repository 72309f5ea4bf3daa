declare module 'fontkit' {
  /** The parts of fontkit Concord uses (it is pdfkit's font engine; Concord asks it which characters a font has). */
  export interface Font {
    hasGlyphForCodePoint(codePoint: number): boolean;
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
}

declare module 'dicom-character-set' {
  /** Decodes DICOM text bytes per Specific Character Set (0008,0005), handling ISO 2022 escapes. */
  export function convertBytes(specificCharacterSet: string | undefined, bytes: Uint8Array, options?: { vr?: string }): string;
}

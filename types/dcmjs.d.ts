declare module 'dcmjs' {
  /** The parts of dcmjs Concord uses. */
  export interface DicomElement {
    vr: string;
    Value?: unknown[];
    InlineBinary?: string;
    /** The value as written (with forceStoreRaw): Decimal Strings keep their digits. */
    _rawValue?: unknown;
  }
  export interface DicomDict {
    meta: Record<string, DicomElement>;
    dict: Record<string, DicomElement>;
  }
  interface Logger {
    setLevel(level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent'): void;
  }
  export const log: Logger & { getLogger(name: string): Logger };
  /** A dictionary that can be written as a Part 10 file (the file meta group given to the constructor). */
  export interface WritableDicomDict extends DicomDict {
    write(options?: { allowInvalidVRLength?: boolean }): ArrayBuffer;
  }
  export const data: {
    DicomMessage: {
      readFile(buffer: ArrayBuffer, options?: { ignoreErrors?: boolean; untilTag?: string; includeUntilTagValue?: boolean; forceStoreRaw?: boolean; stopOnGreaterTag?: boolean }): DicomDict;
    };
    DicomDict: new (meta: Record<string, DicomElement>) => WritableDicomDict;
    DicomMetaDictionary: {
      /** Keyword-named values ({ PatientName: 'DOE^JANE' }) to tag-named elements with VRs from the dictionary. */
      denaturalizeDataset(dataset: Record<string, unknown>): Record<string, DicomElement>;
    };
  };
  const dcmjs: { data: typeof data; log: typeof log };
  export default dcmjs;
}

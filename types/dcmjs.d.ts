declare module 'dcmjs' {
  /** The parts of dcmjs Concord uses. */
  export interface DicomElement {
    vr: string;
    Value?: unknown[];
    InlineBinary?: string;
    /** The value as written (with forceStoreRaw): Decimal Strings keep their digits. */
    _rawValue?: unknown;
  }
  interface Logger {
    setLevel(level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent'): void;
  }
  export const log: Logger & { getLogger(name: string): Logger };
  /** A Part-10 file, read or being written: file meta elements and the data set, keyed by tag ("00100010"). */
  export class DicomDict {
    constructor(meta: Record<string, DicomElement>);
    meta: Record<string, DicomElement>;
    dict: Record<string, DicomElement>;
    write(options?: { allowInvalidVRLength?: boolean }): ArrayBuffer;
  }
  export const data: {
    DicomDict: typeof DicomDict;
    DicomMessage: {
      readFile(buffer: ArrayBuffer, options?: { ignoreErrors?: boolean; untilTag?: string; includeUntilTagValue?: boolean; forceStoreRaw?: boolean; stopOnGreaterTag?: boolean }): DicomDict;
    };
    DicomMetaDictionary: {
      /** Keyword-named values ({ PatientName: 'DOE^JANE' }) to tag-named elements with VRs from the dictionary. */
      denaturalizeDataset(dataset: Record<string, unknown>): Record<string, DicomElement>;
    };
  };
  const dcmjs: { data: typeof data; log: typeof log };
  export default dcmjs;
}

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
  export const data: {
    DicomMessage: {
      readFile(buffer: ArrayBuffer, options?: { ignoreErrors?: boolean; untilTag?: string; includeUntilTagValue?: boolean; forceStoreRaw?: boolean; stopOnGreaterTag?: boolean }): DicomDict;
    };
  };
  const dcmjs: { data: typeof data; log: typeof log };
  export default dcmjs;
}

declare module 'dcmjs' {
  /** The parts of dcmjs Concord uses. */
  export interface DicomElement {
    vr: string;
    Value?: unknown[];
    InlineBinary?: string;
  }
  export interface DicomDict {
    meta: Record<string, DicomElement>;
    dict: Record<string, DicomElement>;
  }
  export const data: {
    DicomMessage: {
      readFile(buffer: ArrayBuffer, options?: { ignoreErrors?: boolean; untilTag?: string; includeUntilTagValue?: boolean }): DicomDict;
    };
  };
  const dcmjs: { data: typeof data };
  export default dcmjs;
}

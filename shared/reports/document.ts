/**
 * What the viewer shows for an instance that is not an image: a structured report as a document, an
 * encapsulated PDF, or a card saying what the object is. Built on the Node side from the file; the
 * renderer only draws it (it never parses DICOM and never injects HTML: every string here is
 * untrusted header text).
 */

/** A coded concept (code value, coding scheme, meaning), as in a Code Sequence item. */
export interface CodedConcept {
  value: string;
  scheme: string;
  meaning: string;
}

/** The SR value types (PS3.3 C.17.3.2.1), plus the by-reference relationship, which has none. */
export const SR_VALUE_TYPES = [
  'CONTAINER', 'TEXT', 'CODE', 'NUM', 'DATE', 'TIME', 'DATETIME', 'PNAME', 'UIDREF', 'IMAGE', 'COMPOSITE',
  'WAVEFORM', 'SCOORD', 'SCOORD3D', 'TCOORD', 'TABLE', 'BY-REFERENCE', 'UNKNOWN',
] as const;
export type SrValueType = (typeof SR_VALUE_TYPES)[number];

/** A composite object an IMAGE, COMPOSITE or WAVEFORM item points at. */
export interface SrReference {
  sopClassUid: string;
  sopInstanceUid: string;
  /** Referenced frame numbers, when the item names some. */
  frames: number[];
}

/** One content item of the tree, with its value in the field its value type uses. */
export interface SrContentItem {
  /** Relationship to the parent (CONTAINS, HAS PROPERTIES, ...); empty for the root. */
  relationship: string;
  valueType: SrValueType;
  /** The value type as written in the file, when Concord does not know it. */
  rawValueType: string;
  /** Concept Name Code Sequence; null when the item has none. */
  concept: CodedConcept | null;
  /** TEXT, DATE, TIME, DATETIME, PNAME, UIDREF: the value as a string (dates as written). */
  text: string | null;
  /** CODE: the coded value. */
  code: CodedConcept | null;
  /** NUM: the value as written (Decimal String) and its unit; qualifier when there is no value. */
  numeric: { value: string; unit: CodedConcept | null } | null;
  numericQualifier: CodedConcept | null;
  /** IMAGE, COMPOSITE, WAVEFORM: the referenced object. */
  reference: SrReference | null;
  /** SCOORD, SCOORD3D: graphic type and how many points; TCOORD: temporal range type. */
  graphic: { type: string; points: number } | null;
  /** CONTAINER: SEPARATE or CONTINUOUS. */
  continuity: string;
  /** BY-REFERENCE: the referenced item's position (e.g. "1.2.3"). */
  referencedItem: string | null;
  children: SrContentItem[];
}

/** Patient, study and series lines shown above every document. */
export interface DocumentHeader {
  patientName: string;
  patientId: string;
  patientBirthDate: string;
  patientSex: string;
  studyDescription: string;
  studyDate: string;
  accessionNumber: string;
  seriesDescription: string;
  seriesNumber: string;
  manufacturer: string;
  /** Content Date and Time as written (YYYYMMDD, HHMMSS). */
  contentDate: string;
  contentTime: string;
}

export interface VerifyingObserver {
  name: string;
  organization: string;
  dateTime: string;
}

export interface StructuredReportDocument {
  kind: 'structured-report';
  sopInstanceUid: string;
  sopClassUid: string;
  /** The root's concept name: the document's title. */
  title: string;
  header: DocumentHeader;
  completionFlag: string;
  verificationFlag: string;
  preliminaryFlag: string;
  verifyingObservers: VerifyingObserver[];
  root: SrContentItem;
  /** True when the tree was cut at Concord's limits (items or depth); the rest is not shown. */
  truncated: boolean;
}

export interface PdfDocument {
  kind: 'pdf';
  sopInstanceUid: string;
  sopClassUid: string;
  /** Document Title (0042,0010); may be empty. */
  title: string;
  header: DocumentHeader;
  /** Bytes of the PDF, without the pad byte; fetched separately (never through the API). */
  bytes: number;
}

export interface NotDisplayableDocument {
  kind: 'not-displayable';
  sopInstanceUid: string;
  sopClassUid: string;
  /** Why it is not shown beyond its class, e.g. "encapsulated CDA" or "the file cannot be read". */
  reason: string;
  header: DocumentHeader;
}

export type InstanceDocument = StructuredReportDocument | PdfDocument | NotDisplayableDocument;

/** Limits that keep a hostile or enormous tree from exhausting memory or the page. */
export const SR_LIMITS = { maxItems: 20_000, maxDepth: 64, maxText: 65_536 } as const;

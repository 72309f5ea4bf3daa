import type { DocumentHeader, SrContentItem, SrValueType, StructuredReportDocument } from '../../../shared/reports/document.ts';
import { SR_LIMITS, SR_VALUE_TYPES } from '../../../shared/reports/document.ts';
import { codeOf, countOf, itemsOf, longTextOf, numbersOf, textOf } from './dataset-values.ts';
import type { Dataset } from './dataset-values.ts';

/** Tags of the SR Document General and Content modules (PS3.3 C.17.2, C.17.3). */
const TAG = {
  contentSequence: '0040A730',
  relationshipType: '0040A010',
  valueType: '0040A040',
  conceptName: '0040A043',
  continuity: '0040A050',
  textValue: '0040A160',
  conceptCode: '0040A168',
  measuredValue: '0040A300',
  numericValue: '0040A30A',
  unitsCode: '004008EA',
  numericQualifier: '0040A301',
  date: '0040A121',
  time: '0040A122',
  dateTime: '0040A120',
  personName: '0040A123',
  uid: '0040A124',
  referencedSop: '00081199',
  referencedSopClass: '00081150',
  referencedSopInstance: '00081155',
  referencedFrames: '00081160',
  graphicType: '00700023',
  graphicData: '00700022',
  temporalRangeType: '0040A130',
  samplePositions: '0040A132',
  timeOffsets: '0040A138',
  referencedDateTimes: '0040A13A',
  referencedContentItem: '0040DB73',
  completionFlag: '0040A491',
  verificationFlag: '0040A493',
  preliminaryFlag: '0040A496',
  verifyingObserver: '0040A073',
  verifyingObserverName: '0040A075',
  verifyingOrganization: '0040A027',
  verificationDateTime: '0040A030',
} as const;

/** The patient, study and series lines of any instance. */
export function documentHeaderOf(dataset: Dataset): DocumentHeader {
  return {
    patientName: textOf(dataset, '00100010'),
    patientId: textOf(dataset, '00100020'),
    patientBirthDate: textOf(dataset, '00100030'),
    patientSex: textOf(dataset, '00100040'),
    studyDescription: textOf(dataset, '00081030'),
    studyDate: textOf(dataset, '00080020'),
    accessionNumber: textOf(dataset, '00080050'),
    seriesDescription: textOf(dataset, '0008103E'),
    seriesNumber: textOf(dataset, '00200011'),
    manufacturer: textOf(dataset, '00080070'),
    contentDate: textOf(dataset, '00080023'),
    contentTime: textOf(dataset, '00080033'),
  };
}

function valueTypeOf(raw: string, hasReference: boolean): SrValueType {
  if (raw === '' && hasReference) {
    return 'BY-REFERENCE';
  }
  return (SR_VALUE_TYPES as readonly string[]).includes(raw) ? (raw as SrValueType) : 'UNKNOWN';
}

interface Budget {
  items: number;
  truncated: boolean;
}

/** One content item and, depth first, its children, within the budget. */
function contentItem(dataset: Dataset, relationship: string, depth: number, budget: Budget): SrContentItem {
  budget.items += 1;
  const rawValueType = textOf(dataset, TAG.valueType);
  const referencedItem = numbersOf(dataset, TAG.referencedContentItem);
  const valueType = valueTypeOf(rawValueType, referencedItem.length > 0);
  const item: SrContentItem = {
    relationship,
    valueType,
    rawValueType,
    concept: codeOf(dataset, TAG.conceptName),
    text: null,
    code: null,
    numeric: null,
    numericQualifier: null,
    reference: null,
    graphic: null,
    continuity: '',
    referencedItem: referencedItem.length > 0 ? referencedItem.join('.') : null,
    children: [],
  };
  switch (valueType) {
    case 'CONTAINER':
      item.continuity = textOf(dataset, TAG.continuity);
      break;
    case 'TEXT':
      item.text = longTextOf(dataset, TAG.textValue);
      break;
    case 'CODE':
      item.code = codeOf(dataset, TAG.conceptCode);
      break;
    case 'NUM': {
      const measured = itemsOf(dataset, TAG.measuredValue)[0];
      item.numeric = measured ? { value: textOf(measured, TAG.numericValue), unit: codeOf(measured, TAG.unitsCode) } : null;
      item.numericQualifier = codeOf(dataset, TAG.numericQualifier);
      break;
    }
    case 'DATE':
      item.text = textOf(dataset, TAG.date);
      break;
    case 'TIME':
      item.text = textOf(dataset, TAG.time);
      break;
    case 'DATETIME':
      item.text = textOf(dataset, TAG.dateTime);
      break;
    case 'PNAME':
      item.text = textOf(dataset, TAG.personName);
      break;
    case 'UIDREF':
      item.text = textOf(dataset, TAG.uid);
      break;
    case 'IMAGE':
    case 'COMPOSITE':
    case 'WAVEFORM': {
      const reference = itemsOf(dataset, TAG.referencedSop)[0];
      item.reference = reference
        ? {
            sopClassUid: textOf(reference, TAG.referencedSopClass),
            sopInstanceUid: textOf(reference, TAG.referencedSopInstance),
            frames: numbersOf(reference, TAG.referencedFrames).filter(Number.isInteger),
          }
        : null;
      break;
    }
    case 'SCOORD':
    case 'SCOORD3D':
      item.graphic = {
        type: textOf(dataset, TAG.graphicType),
        points: Math.floor(countOf(dataset, TAG.graphicData) / (valueType === 'SCOORD' ? 2 : 3)),
      };
      break;
    case 'TCOORD':
      item.graphic = {
        type: textOf(dataset, TAG.temporalRangeType),
        points: countOf(dataset, TAG.samplePositions) + countOf(dataset, TAG.timeOffsets) + countOf(dataset, TAG.referencedDateTimes),
      };
      break;
    default:
      break;
  }
  const children = itemsOf(dataset, TAG.contentSequence);
  for (const child of children) {
    if (depth + 1 > SR_LIMITS.maxDepth || budget.items >= SR_LIMITS.maxItems) {
      budget.truncated = true;
      break;
    }
    item.children.push(contentItem(child, textOf(child, TAG.relationshipType), depth + 1, budget));
  }
  return item;
}

/**
 * A structured report as a document: the root's concept name as title, the header lines, the
 * completion and verification flags, and the content tree in document order.
 */
export function structuredReportOf(dataset: Dataset): StructuredReportDocument {
  const budget: Budget = { items: 0, truncated: false };
  const root = contentItem(dataset, '', 0, budget);
  return {
    kind: 'structured-report',
    sopInstanceUid: textOf(dataset, '00080018'),
    sopClassUid: textOf(dataset, '00080016'),
    title: root.concept?.meaning ?? '',
    header: documentHeaderOf(dataset),
    completionFlag: textOf(dataset, TAG.completionFlag),
    verificationFlag: textOf(dataset, TAG.verificationFlag),
    preliminaryFlag: textOf(dataset, TAG.preliminaryFlag),
    verifyingObservers: itemsOf(dataset, TAG.verifyingObserver)
      .slice(0, 100)
      .map((observer) => ({
        name: textOf(observer, TAG.verifyingObserverName),
        organization: textOf(observer, TAG.verifyingOrganization),
        dateTime: textOf(observer, TAG.verificationDateTime),
      })),
    root,
    truncated: budget.truncated,
  };
}

import type { ReactElement } from 'react';
import type { SrContentItem, StructuredReportDocument } from '../../../../shared/reports/document.ts';
import { conceptLabel, formatDicomDateTime, formatPersonNameValue, itemValueText } from '../../../../shared/reports/format.ts';
import { DocumentHeading } from './DocumentHeading.tsx';

/** How an item relates to its parent, in words, for the relationships other than "contains". */
const RELATIONSHIP_LABELS: Record<string, string> = {
  'HAS OBS CONTEXT': 'context',
  'HAS ACQ CONTEXT': 'acquisition context',
  'HAS CONCEPT MOD': 'modifier',
  'HAS PROPERTIES': 'property',
  'INFERRED FROM': 'inferred from',
  'SELECTED FROM': 'selected from',
};

function SrItem({ item, depth }: { item: SrContentItem; depth: number }): ReactElement {
  const relationship = RELATIONSHIP_LABELS[item.relationship];
  const children = item.children.length > 0 && (
    <div className="sr-children">
      {item.children.map((child, index) => (
        <SrItem key={index} item={child} depth={depth + 1} />
      ))}
    </div>
  );
  if (item.valueType === 'CONTAINER') {
    const Heading = `h${Math.min(depth + 2, 6)}` as 'h3';
    return (
      <section className="sr-section" data-value-type="CONTAINER">
        <Heading>
          {relationship && <span className="sr-relationship">{relationship} </span>}
          {conceptLabel(item)}
        </Heading>
        {children}
      </section>
    );
  }
  const value = itemValueText(item);
  return (
    <div className="sr-item" data-value-type={item.valueType}>
      <p className={item.valueType === 'TEXT' ? 'sr-line sr-text' : 'sr-line'}>
        {relationship && <span className="sr-relationship">{relationship} </span>}
        <span className="sr-concept">{conceptLabel(item)}</span>
        {value !== '' && ': '}
        <span className="sr-value">{value}</span>
      </p>
      {children}
    </div>
  );
}

/**
 * A structured report as a document: title, header, flags, then the content tree as sections
 * (containers) and lines (everything else). Every string is header text: React elements only.
 */
export function SrDocument({ document }: { document: StructuredReportDocument }): ReactElement {
  const flags = [
    document.completionFlag && `Completion: ${document.completionFlag}`,
    document.verificationFlag && `Verification: ${document.verificationFlag}`,
    document.preliminaryFlag && `Preliminary flag: ${document.preliminaryFlag}`,
  ].filter(Boolean);
  return (
    <article className="document sr-document" data-document-kind="structured-report" data-sop-instance-uid={document.sopInstanceUid}>
      <DocumentHeading title={document.title} sopClassUid={document.sopClassUid} header={document.header} />
      {flags.length > 0 && (
        <ul className="document-flags" aria-label="Report status">
          {flags.map((flag) => (
            <li key={flag}>{flag}</li>
          ))}
        </ul>
      )}
      {document.verifyingObservers.map((observer, index) => (
        <p key={index} className="muted">
          Verified by {formatPersonNameValue(observer.name) || '(no name)'}
          {observer.organization && `, ${observer.organization}`}
          {observer.dateTime && `, ${formatDicomDateTime(observer.dateTime, 'DATETIME')}`}
        </p>
      ))}
      <div className="sr-content">
        {document.root.children.map((child, index) => (
          <SrItem key={index} item={child} depth={1} />
        ))}
      </div>
      {document.truncated && <p className="error">The report is longer than Concord shows; the rest of it is not displayed.</p>}
    </article>
  );
}

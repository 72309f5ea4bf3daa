import type { ReactElement, ReactNode } from 'react';
import type { DocumentHeader } from '../../../../shared/reports/document.ts';
import { headerLines } from '../../../../shared/reports/format.ts';
import { sopClassName } from '../../../../shared/dicom/sop-class-names.ts';

interface Props {
  title: string;
  sopClassUid: string;
  header: DocumentHeader;
  children?: ReactNode;
}

/** A document's title, its class, and the patient and study lines (all header text, shown as text). */
export function DocumentHeading({ title, sopClassUid, header, children }: Props): ReactElement {
  const className = sopClassName(sopClassUid);
  return (
    <header className="document-heading">
      <h2>{title || className}</h2>
      {title && <p className="muted">{className}</p>}
      <dl className="document-header">
        {headerLines(header).map((line) => (
          <div key={line.label}>
            <dt>{line.label}</dt>
            <dd>{line.value}</dd>
          </div>
        ))}
      </dl>
      {children}
    </header>
  );
}

import { Suspense, lazy, useEffect, useState } from 'react';
import type { ReactElement } from 'react';
import type { Instance, Series } from '../../../../shared/api/schemas.ts';
import type { InstanceDocument } from '../../../../shared/reports/document.ts';
import { api } from '../../api/api.ts';
import { NotDisplayableCard } from './NotDisplayableCard.tsx';
import { SrDocument } from './SrDocument.tsx';
import './documents.css';

// pdf.js is large: loaded the first time a PDF is opened.
const PdfDocument = lazy(() => import('./PdfDocument.tsx').then((module) => ({ default: module.PdfDocument })));

const ENCAPSULATED_PDF = '1.2.840.10008.5.1.4.1.1.104.1';

/** Reports and PDFs are read from the library as documents; anything else is named on a card. */
function isReadable(instance: Instance): boolean {
  return instance.objectKind === 'structured-report' || instance.sopClassUid === ENCAPSULATED_PDF;
}

/** One non-image instance as a document: a structured report, a PDF, or a card saying what it is. */
export function DocumentView({ series, instance }: { series: Series; instance: Instance }): ReactElement {
  const [document, setDocument] = useState<InstanceDocument | null>(null);
  const [error, setError] = useState<string | null>(null);
  const readable = isReadable(instance);

  useEffect(() => {
    if (!readable) {
      return undefined;
    }
    let live = true;
    setDocument(null);
    setError(null);
    api.getDocument({ sopInstanceUid: instance.sopInstanceUid }).then(
      (response) => live && setDocument(response.document),
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [instance.sopInstanceUid, readable]);

  if (!readable) {
    return <NotDisplayableCard series={series} instance={instance} />;
  }
  if (error) {
    return <NotDisplayableCard series={series} instance={instance} reason={error} />;
  }
  if (!document) {
    return <p className="note">Reading the document…</p>;
  }
  switch (document.kind) {
    case 'structured-report':
      return <SrDocument document={document} />;
    case 'pdf':
      return (
        <Suspense fallback={<p className="note">Loading the PDF viewer…</p>}>
          <PdfDocument document={document} />
        </Suspense>
      );
    case 'not-displayable':
      return <NotDisplayableCard series={series} instance={instance} reason={document.reason} />;
  }
}

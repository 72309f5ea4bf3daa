import { useEffect, useRef, useState } from 'react';
import type { ReactElement } from 'react';
import { GlobalWorkerOptions, TextLayer, getDocument } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import type { PdfDocument as PdfFacts } from '../../../../shared/reports/document.ts';
import { DocumentHeading } from './DocumentHeading.tsx';

/** More pages than this are not drawn (a CD's PDF report is a few pages; a scanned book is not one). */
const MAX_PAGES = 100;

/** The PDF's bytes from the library (the host's /document route; the session cookie authenticates). */
async function fetchPdf(sopInstanceUid: string): Promise<Uint8Array> {
  const response = await fetch(`${location.origin}/document/${sopInstanceUid}`, { credentials: 'same-origin' });
  if (!response.ok) {
    throw new Error(`The PDF cannot be read (${response.status} ${response.statusText})`);
  }
  return new Uint8Array(await response.arrayBuffer());
}

/** Draws every page (canvas) with its text layer (selectable, searchable text) into the container. */
async function drawPages(bytes: Uint8Array, container: HTMLElement, cancelled: () => boolean): Promise<number> {
  // pdf.js parses in a module worker served from this origin (worker-src 'self'); nothing is evaluated.
  GlobalWorkerOptions.workerSrc = workerUrl;
  const task = getDocument({ data: bytes, disableWorkerRendering: true, useWasm: false });
  try {
    const pdf = await task.promise;
    const width = Math.max(320, container.clientWidth - 24);
    const pages = Math.min(pdf.numPages, MAX_PAGES);
    for (let number = 1; number <= pages && !cancelled(); number += 1) {
      const page = await pdf.getPage(number);
      const scale = width / page.getViewport({ scale: 1 }).width;
      const viewport = page.getViewport({ scale });
      const pixels = page.getViewport({ scale: scale * (window.devicePixelRatio || 1) });
      const holder = document.createElement('div');
      holder.className = 'pdf-page';
      holder.dataset.page = String(number);
      holder.style.width = `${viewport.width}px`;
      holder.style.height = `${viewport.height}px`;
      holder.style.setProperty('--scale-factor', String(scale));
      holder.style.setProperty('--total-scale-factor', String(scale));
      const canvas = document.createElement('canvas');
      canvas.width = Math.floor(pixels.width);
      canvas.height = Math.floor(pixels.height);
      const text = document.createElement('div');
      text.className = 'textLayer';
      holder.append(canvas, text);
      container.append(holder);
      await page.render({ canvas, viewport: pixels }).promise;
      await new TextLayer({ textContentSource: page.streamTextContent(), container: text, viewport }).render();
    }
    return pdf.numPages;
  } finally {
    await task.destroy();
  }
}

/** An Encapsulated PDF drawn with pdf.js, with its header above and a way to save the file. */
export function PdfDocument({ document: facts }: { document: PdfFacts }): ReactElement {
  const pages = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<{ status: 'loading' | 'ready' | 'failed'; message: string; pageCount: number }>({
    status: 'loading',
    message: '',
    pageCount: 0,
  });
  const [bytes, setBytes] = useState<Uint8Array | null>(null);

  useEffect(() => {
    const container = pages.current;
    if (!container) {
      return undefined;
    }
    let cancelled = false;
    container.replaceChildren();
    fetchPdf(facts.sopInstanceUid)
      .then((pdf) => {
        setBytes(pdf);
        // pdf.js takes ownership of the array it is given; it gets a copy so the download keeps its own.
        return drawPages(pdf.slice(), container, () => cancelled);
      })
      .then(
        (pageCount) => !cancelled && setState({ status: 'ready', message: '', pageCount }),
        (error: unknown) => !cancelled && setState({ status: 'failed', message: error instanceof Error ? error.message : String(error), pageCount: 0 }),
      );
    return () => {
      cancelled = true;
    };
  }, [facts.sopInstanceUid]);

  const save = (): void => {
    if (!bytes) {
      return;
    }
    const url = URL.createObjectURL(new Blob([bytes.slice().buffer as ArrayBuffer], { type: 'application/pdf' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `${(facts.title || 'document').replace(/[^\p{L}\p{N} ._-]+/gu, '_').slice(0, 80)}.pdf`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };

  return (
    <article className="document pdf-document" data-document-kind="pdf" data-sop-instance-uid={facts.sopInstanceUid} data-document-ready={state.status === 'ready'}>
      <DocumentHeading title={facts.title} sopClassUid={facts.sopClassUid} header={facts.header}>
        <p className="document-actions">
          <button type="button" onClick={save} disabled={!bytes}>Save PDF…</button>
          {state.status === 'ready' && (
            <span className="muted">
              {state.pageCount} page{state.pageCount === 1 ? '' : 's'}
              {state.pageCount > MAX_PAGES ? `, the first ${MAX_PAGES} shown` : ''}
            </span>
          )}
        </p>
      </DocumentHeading>
      {state.status === 'loading' && <p className="note">Reading the PDF…</p>}
      {state.status === 'failed' && <p className="error" role="alert">{state.message}</p>}
      <div ref={pages} className="pdf-pages" />
    </article>
  );
}

import { useEffect, useRef } from 'react';
import type { ReactElement } from 'react';

interface Props {
  question: { path: string; question: string; reasons: string[] };
  onImport(): void;
  onCancel(): void;
}

/**
 * Asked before a folder that is clearly not a medium (a home folder, tens of thousands of files, no
 * DICOMDIR) is imported; nothing has started while it is open. Cancel is the default.
 */
export function NotMediumQuestion({ question, onImport, onCancel }: Props): ReactElement {
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => cancel.current?.focus(), []);
  return (
    <div className="question-backdrop">
      <div
        className="panel question"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="not-medium-title"
        aria-describedby="not-medium-text"
        onKeyDown={(event) => event.key === 'Escape' && onCancel()}
      >
        <h2 id="not-medium-title">Import this folder?</h2>
        <p id="not-medium-text">
          <span className="mono">{question.path}</span> does not look like a disc or a medium:
        </p>
        <ul>
          {question.reasons.map((reason) => (
            <li key={reason}>{reason}</li>
          ))}
        </ul>
        <p>Importing it copies every DICOM file under it into the library. Nothing has been imported yet.</p>
        <div className="question-actions">
          <button type="button" ref={cancel} onClick={onCancel}>
            Cancel
          </button>
          <button type="button" className="danger" onClick={onImport}>
            Import anyway
          </button>
        </div>
      </div>
    </div>
  );
}

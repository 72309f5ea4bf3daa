import { useEffect, useRef } from 'react';
import type { ReactElement } from 'react';
import { VERDICT_LABELS, secondOpinionText } from '../../../../shared/reports/narrative.ts';
import type { ReaderProfile, ReportContent } from '../../../../shared/reports/report-model.ts';
import { formatDicomDate } from '../../ui/format.ts';

interface Props {
  content: ReportContent;
  revision: number;
  signer: ReaderProfile | null;
  onConfirm(): void;
  onCancel(): void;
}

/**
 * Asks before a draft is signed, showing what will be locked: the signer, the verdict, the outside
 * report it is compared with and the second opinion's text as it will be read. Nothing of it can be
 * edited after signing; later changes are signed addenda. Escape or "Go back" keeps the draft open.
 */
export function SignConfirmation({ content, revision, signer, onConfirm, onCancel }: Props): ReactElement {
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => cancel.current?.focus(), []);
  const verdict = content.concordance.confirmed;
  const outside = content.outside;
  return (
    <div className="sign-confirmation-backdrop">
      <div
        className="sign-confirmation"
        role="dialog"
        aria-modal="true"
        aria-labelledby="sign-confirmation-title"
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            onCancel();
          }
        }}
      >
        <h3 id="sign-confirmation-title">Sign and lock this report?</h3>
        <p>
          Signed by <strong>{signer ? `${signer.name}${signer.credentials ? `, ${signer.credentials}` : ''}` : '(no reader chosen)'}</strong>. Once signed,
          nothing below can be changed (revision {revision}); later changes are signed addenda.
        </p>
        <dl className="sign-summary">
          <dt>Verdict</dt>
          <dd data-confirm-verdict>{verdict ? VERDICT_LABELS[verdict] : 'not confirmed'}</dd>
          <dt>Outside report</dt>
          <dd>
            {[outside.facility, outside.reader, formatDicomDate(outside.date)].filter((part) => part.trim() !== '').join(', ') || 'not recorded'}
            {outside.facts.overall ? ` · BI-RADS ${outside.facts.overall}` : ''}
          </dd>
          {content.concordance.reason.trim() !== '' && (
            <>
              <dt>Reason</dt>
              <dd>{content.concordance.reason}</dd>
            </>
          )}
        </dl>
        <pre className="report-text sign-preview" data-sign-preview>
          {secondOpinionText(content)}
        </pre>
        <div className="row">
          <button type="button" className="primary" onClick={onConfirm}>
            Sign and lock
          </button>
          <button ref={cancel} type="button" onClick={onCancel}>
            Go back
          </button>
        </div>
      </div>
    </div>
  );
}

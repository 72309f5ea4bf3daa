import { useEffect, useRef, useState } from 'react';
import type { PointerEvent as ReactPointerEvent, ReactElement } from 'react';
import { VERDICT_LABELS } from '../../../../shared/reports/narrative.ts';
import { REPORT_TEMPLATES } from '../../../../shared/reports/report-model.ts';
import type { ReportTemplate } from '../../../../shared/reports/report-model.ts';
import { ConcordanceBlock } from './ConcordanceBlock.tsx';
import { OutsideDocuments, OutsideReportTab } from './OutsideReportTab.tsx';
import { guardLeaving } from '../../ui/leave-guard.ts';
import { saveOnHide, unsavedDraftProblem, useReport } from './report-store.ts';
import type { ReportTab, SaveState } from './report-store.ts';
import { SecondOpinionTab, TEMPLATE_LABELS } from './SecondOpinionTab.tsx';
import { SignAndExport } from './SignAndExport.tsx';
import { PatientSafetyHeader } from '../../ui/PatientSafetyHeader.tsx';
import './report.css';

const TABS: { id: ReportTab; label: string }[] = [
  { id: 'outside', label: 'Outside report' },
  { id: 'second-opinion', label: 'Second opinion' },
  { id: 'concordance', label: 'Concordance & sign' },
];

const SAVE_WORDS: Record<SaveState, string> = {
  saved: 'Draft saved',
  pending: 'Unsaved changes…',
  saving: 'Saving…',
  conflict: 'Not saved: changed elsewhere',
  failed: 'Not saved',
};

/** The study's modalities suggest the template: MR studies get the breast MRI one. */
function suggestedTemplate(modalities: string[]): ReportTemplate {
  return modalities.includes('MR') && !modalities.includes('MG') ? 'birads-breast-mri' : 'birads-mammography';
}

/** The toolbar button that shows or hides the reporting pane. */
export function ReportToggle(): ReactElement {
  const open = useReport((state) => state.paneOpen);
  const toggle = useReport((state) => state.togglePane);
  return (
    <button type="button" className={open ? 'tool active' : 'tool'} aria-pressed={open} data-report-toggle onClick={() => toggle()}>
      Report
    </button>
  );
}

/** A save the server refused: the reader's copy stays on screen until the reader chooses. */
function ConflictBanner(): ReactElement | null {
  const conflict = useReport((state) => state.conflict);
  const saveState = useReport((state) => state.saveState);
  const saveMessage = useReport((state) => state.saveMessage);
  const keepMine = useReport((state) => state.keepMine);
  const useSaved = useReport((state) => state.useSaved);
  const saveNow = useReport((state) => state.saveNow);
  if (saveState === 'failed') {
    return (
      <div className="save-problem" role="alert">
        <span>The draft could not be saved: {saveMessage}. Your text is still here.</span>
        <button type="button" className="small" onClick={() => void saveNow()}>
          Try again
        </button>
      </div>
    );
  }
  if (saveState !== 'conflict') {
    return null;
  }
  return (
    <div className="save-problem conflict" role="alert" data-save-conflict>
      <span>
        This report was changed elsewhere (another window or the command line){conflict ? `, now revision ${conflict.revision} (${conflict.status})` : ''}. Your
        changes are kept here, not saved.
      </span>
      {conflict?.status === 'draft' && (
        <button type="button" className="small" onClick={() => void keepMine()}>
          Keep my version (save it over theirs)
        </button>
      )}
      <button type="button" className="small" onClick={useSaved}>
        Show the saved version (drops my changes)
      </button>
    </div>
  );
}

/** Edits an earlier session typed but never saved (a closed window, a crash): offered back, not applied unasked. */
function RecoveredBanner(): ReactElement | null {
  const recovered = useReport((state) => state.recovered);
  const restore = useReport((state) => state.restoreRecovered);
  const discard = useReport((state) => state.discardRecovered);
  if (!recovered) {
    return null;
  }
  return (
    <div className="save-problem recovered" role="alert" data-recovered-draft>
      <span>Changes to this draft typed in an earlier session were never saved.</span>
      <button type="button" className="small" onClick={restore}>
        Restore them
      </button>
      <button type="button" className="small" onClick={discard}>
        Discard them
      </button>
    </div>
  );
}

/** Drag the pane's left edge to make it wider or narrower; the images keep the rest. */
function useResizableWidth(): [number, (event: ReactPointerEvent) => void] {
  const [width, setWidth] = useState(520);
  const start = useRef<{ x: number; width: number } | null>(null);
  const onPointerDown = (event: ReactPointerEvent): void => {
    start.current = { x: event.clientX, width };
    const move = (moveEvent: PointerEvent): void => {
      if (start.current) {
        setWidth(Math.min(Math.max(360, start.current.width + start.current.x - moveEvent.clientX), Math.round(window.innerWidth * 0.6)));
      }
    };
    const up = (): void => {
      start.current = null;
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  };
  return [width, onPointerDown];
}

/** Whose report this is, in the pane itself: the study the pane loaded, never another one. */
function ReportPatient({ studyInstanceUid }: { studyInstanceUid: string }): ReactElement | null {
  const study = useReport((state) => state.study);
  return study && study.study.studyInstanceUid === studyInstanceUid ? <PatientSafetyHeader current={study.study} studyWord="Study" compact /> : null;
}

/** The reporting pane beside the viewer: outside report, second opinion, concordance, signing. */
export function ReportPane({ studyInstanceUid, modalities }: { studyInstanceUid: string; modalities: string[] }): ReactElement | null {
  const open = useReport((state) => state.paneOpen);
  const tab = useReport((state) => state.tab);
  const setTab = useReport((state) => state.setTab);
  const report = useReport((state) => state.report);
  const content = useReport((state) => state.content);
  const loading = useReport((state) => state.loading);
  const error = useReport((state) => state.error);
  const saveState = useReport((state) => state.saveState);
  const start = useReport((state) => state.start);
  const [template, setTemplate] = useState<ReportTemplate>(suggestedTemplate(modalities));
  const [width, onResize] = useResizableWidth();

  useEffect(() => {
    if (open) {
      void useReport.getState().load(studyInstanceUid);
    }
  }, [open, studyInstanceUid]);
  useEffect(() => saveOnHide(), []);
  useEffect(() => guardLeaving(() => unsavedDraftProblem(useReport.getState().saveState)), []);
  // Leaving the study saves what is pending.
  useEffect(() => () => void useReport.getState().saveNow(), [studyInstanceUid]);

  if (!open) {
    return null;
  }
  const locked = report !== null && report.status !== 'draft';
  return (
    <aside className="report-pane" aria-label="Report" style={{ width }} onKeyDown={(event) => event.stopPropagation()}>
      <div className="pane-resizer" role="separator" aria-orientation="vertical" aria-label="Resize the report pane" onPointerDown={onResize} />
      <ReportPatient studyInstanceUid={studyInstanceUid} />
      <header className="pane-head">
        <nav className="pane-tabs" role="tablist" aria-label="Report sections">
          {TABS.map((entry) => (
            <button key={entry.id} type="button" role="tab" aria-selected={tab === entry.id} className={tab === entry.id ? 'tab active' : 'tab'} onClick={() => setTab(entry.id)}>
              {entry.label}
            </button>
          ))}
        </nav>
        {content && (
          <span className={`verdict verdict-${content.concordance.confirmed ?? content.concordance.proposed}`} title="The concordance verdict (confirmed, else proposed)">
            {VERDICT_LABELS[content.concordance.confirmed ?? content.concordance.proposed]}
            {content.concordance.confirmed ? '' : ' (proposed)'}
          </span>
        )}
        {report && (
          <span className={`report-status status-${report.status}`} data-report-status={report.status}>
            {report.status === 'draft' ? SAVE_WORDS[saveState] : report.status === 'signed' ? 'Signed: read only' : 'Amended: read only'}
          </span>
        )}
      </header>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <ConflictBanner />
      <RecoveredBanner />
      <div className="pane-body">
        {loading && !content && <p className="note">Loading the report…</p>}
        {!loading && !report && (
          <section className="start-report" aria-label="Start a report">
            <p>No second-opinion report for this study yet.</p>
            <label>
              Template{' '}
              <select data-field="new-template" value={template} onChange={(event) => setTemplate(event.target.value as ReportTemplate)}>
                {REPORT_TEMPLATES.map((name) => (
                  <option key={name} value={name}>
                    {TEMPLATE_LABELS[name]}
                  </option>
                ))}
              </select>
            </label>{' '}
            <button type="button" className="primary" onClick={() => void start(template)}>
              Start the report
            </button>
            <OutsideDocuments />
          </section>
        )}
        {report && content && (
          <>
            {tab === 'outside' && <OutsideReportTab content={content} locked={locked} />}
            {tab === 'second-opinion' && <SecondOpinionTab content={content} locked={locked} />}
            {tab === 'concordance' && (
              <div className="tab-body">
                <ConcordanceBlock report={report} content={content} locked={locked} />
                <SignAndExport report={report} />
              </div>
            )}
          </>
        )}
      </div>
    </aside>
  );
}

import { useEffect } from 'react';
import type { ReactElement } from 'react';
import { comparisonFromHanging, prefillFromHanging, techniqueFromHanging } from '../../../../shared/reports/hung-context.ts';
import type { SecondOpinion } from '../../../../shared/reports/report-model.ts';
import { ReportPane } from '../report/ReportPane.tsx';
import { useReport } from '../report/report-store.ts';
import { HANGING_KEYS } from '../viewer/shortcuts.ts';
import { hungContextOf } from './hung-report-context.ts';
import { useHung } from './hung-state.ts';

/**
 * Fills the draft's comparison, technique and prior from what is hung, where the reader has not
 * written them. Text Concord wrote for this stage (for any of its priors) counts as not written by
 * the reader, so it follows the stage when another prior is chosen; anything the reader typed is kept.
 */
function usePrefillFromHanging(studyInstanceUid: string): void {
  const layout = useHung((state) => state.layout);
  const details = useHung((state) => state.details);
  const report = useReport((state) => state.report);
  const content = useReport((state) => state.content);
  // Only once the report is loaded and nothing waits for the reader: a save problem, or edits of an
  // earlier session offered back (an edit now would hide them).
  const settled = useReport((state) => !state.loading && state.recovered === null && state.saveState !== 'conflict' && state.saveState !== 'failed');
  useEffect(() => {
    const context = hungContextOf(layout, details, studyInstanceUid);
    if (!settled || !layout || !context || !report || !content || report.status !== 'draft' || report.studyInstanceUid !== studyInstanceUid) {
      return;
    }
    const opinion = content.secondOpinion;
    const generated = new Set([null, ...layout.priors].map((prior) => comparisonFromHanging({ ...context, prior })));
    // The prior compared is the one hung (the pane has no field for it): it follows the stage.
    const hungPrior = opinion.priorStudyUids.length <= 1 && opinion.priorStudyUids.every((uid) => layout.priors.some((prior) => prior.studyInstanceUid === uid));
    const untouched: SecondOpinion = {
      ...opinion,
      comparison: generated.has(opinion.comparison) ? '' : opinion.comparison,
      technique: opinion.technique === techniqueFromHanging(context) ? '' : opinion.technique,
      priorStudyUids: hungPrior ? [] : opinion.priorStudyUids,
    };
    const change = prefillFromHanging(untouched, context);
    const differs = change !== null && (Object.keys(change) as (keyof SecondOpinion)[]).some((key) => JSON.stringify(change[key]) !== JSON.stringify(opinion[key]));
    if (differs) {
      useReport.getState().edit((current) => ({ ...current, secondOpinion: { ...current.secondOpinion, ...change } }));
    }
  }, [settled, layout, details, report, content, studyInstanceUid]);
}

/** The mode in which a click on a hung image starts a finding, and what the last click did. */
function FindingFromImageBar(): ReactElement {
  const on = useHung((state) => state.findingMode);
  const toggle = useHung((state) => state.toggleFindingMode);
  const message = useHung((state) => state.findingMessage);
  return (
    <div className="finding-mode-bar" data-finding-mode-bar>
      <button type="button" className={on ? 'tool active' : 'tool'} aria-pressed={on} data-finding-mode onClick={() => toggle()} title={`Key ${HANGING_KEYS.findingFromImage.toUpperCase()}`}>
        New finding from image
      </button>
      <span className="note" role="status" data-finding-message>
        {message ?? (on ? 'Click the finding on a hung mammogram: side, view and location are filled in.' : '')}
      </span>
    </div>
  );
}

/** The reporting pane beside the stage, with what the hanging adds: prefilled fields and findings from clicks. */
export function HangingReportPane({ studyInstanceUid }: { studyInstanceUid: string }): ReactElement {
  const open = useReport((state) => state.paneOpen);
  const modalities = useHung((state) => state.details[studyInstanceUid]?.study.modalities);
  usePrefillFromHanging(studyInstanceUid);
  return (
    <div className={open ? 'hang-report-column' : 'hang-report-column closed'}>
      {open && <FindingFromImageBar />}
      {modalities && <ReportPane studyInstanceUid={studyInstanceUid} modalities={modalities} />}
    </div>
  );
}

import type { ReactElement } from 'react';
import { PatientSafetyHeader } from '../../ui/PatientSafetyHeader.tsx';
import { HangingReportPane } from './HangingReportPane.tsx';
import { HangingView } from './HangingView.tsx';
import { useHung } from './hung-state.ts';
import './hang-report.css';

interface Props {
  studyInstanceUid: string;
  onSeriesViewer(): void;
  onClose(): void;
}

/** Who is on the screen, for the hanging view: the current study's patient and the prior hung beside it. */
function HungPatient({ studyInstanceUid }: { studyInstanceUid: string }): ReactElement {
  const layout = useHung((state) => state.layout);
  const details = useHung((state) => state.details);
  const current = details[studyInstanceUid]?.study;
  if (!current) {
    // The header's line is kept from the start: the stage below is never resized when it arrives.
    return <section className="safety-header" aria-label="Patient" aria-busy="true">Loading the patient…</section>;
  }
  // A layout still on the store from another study says nothing about this one.
  const currentSlot = layout?.slots.find((slot) => slot.role === 'current' && slot.studyInstanceUid === studyInstanceUid);
  const prior = currentSlot && layout?.prior
    ? { study: details[layout.prior.studyInstanceUid]?.study ?? null, studyDate: layout.prior.studyDate, facility: layout.prior.facility }
    : null;
  return <PatientSafetyHeader current={current} currentFacility={currentSlot?.facility ?? null} prior={prior} />;
}

/** The hanging view with the patient-safety header above it and the reporting pane beside the stage. */
export function HangingWorkspace({ studyInstanceUid, onSeriesViewer, onClose }: Props): ReactElement {
  const findingMode = useHung((state) => state.findingMode);
  return (
    <div className="hang-workspace" data-finding-mode={findingMode}>
      <HungPatient studyInstanceUid={studyInstanceUid} />
      <div className="hang-workspace-body">
        <HangingView studyInstanceUid={studyInstanceUid} onSeriesViewer={onSeriesViewer} onClose={onClose} />
        <HangingReportPane studyInstanceUid={studyInstanceUid} />
      </div>
    </div>
  );
}

import type { ReactElement } from 'react';
import type { Instance, Series, Study } from '../../../../shared/api/schemas.ts';
import { edgeMarkers } from '../../../../shared/dicom/orientation.ts';
import { useViewer } from '../../state/viewer.ts';
import { formatHeaderText, formatPersonName, plainText } from '../../../../shared/dicom/display-text.ts';
import { formatDicomDate } from '../../ui/format.ts';

interface Props {
  slot: string;
  study: Study;
  series: Series;
}

function parseNumbers(text: string | null): number[] | null {
  if (!text) {
    return null;
  }
  const values = text.split('\\').map(Number);
  return values.every(Number.isFinite) ? values : null;
}

/** A mammography view label as readers say it: side and view (RCC, LMLO...). */
function viewLabel(instance: Instance | undefined, series: Series): string {
  const side = instance?.imageLaterality || series.laterality;
  const view = instance?.viewPosition || instance?.viewCodeMeaning;
  return [side, view].filter(Boolean).join(' ');
}

/** Text over the image: all of it plain text from untrusted headers, rendered by React as text. */
export function Overlay({ slot, study, series }: Props): ReactElement | null {
  const status = useViewer((state) => state.slots[slot]);
  if (!status) {
    return null;
  }
  const instance = series.instances.find((i) => i.sopInstanceUid === status.sopInstanceUid);
  const markers = edgeMarkers(
    { imageOrientationPatient: parseNumbers(instance?.imageOrientationPatient ?? null), patientOrientation: instance?.patientOrientation ?? null },
    { flipHorizontal: status.flipHorizontal, flipVertical: status.flipVertical, rotation: status.rotation },
  );
  return (
    <div className="overlay" aria-hidden={status.status !== 'error'}>
      <div className="corner top-left">
        <div className="strong">{formatPersonName(study.patientName) || '(no name)'}</div>
        <div>{plainText(study.patientId)}</div>
        <div>{formatDicomDate(study.patientBirthDate)} {study.patientSex}</div>
      </div>
      <div className="corner top-right">
        <div>{formatDicomDate(study.studyDate)}</div>
        <div>{formatHeaderText(study.studyDescription)}</div>
        <div>
          {series.seriesNumber !== null ? `Se ${series.seriesNumber}: ` : ''}
          {formatHeaderText(series.seriesDescription) || series.modality}
        </div>
      </div>
      <div className="corner bottom-left">
        <div className="strong view-label">{viewLabel(instance, series)}</div>
        <div>
          Im {status.imageCount > 0 ? status.imageIndex + 1 : 0}/{status.imageCount}
          {status.playing ? ' ▶' : ''}
        </div>
      </div>
      <div className="corner bottom-right">
        {status.windowWidth !== null && status.windowCenter !== null && (
          <div>
            W {Math.round(status.windowWidth)} L {Math.round(status.windowCenter)}
            {status.voiFunction !== 'LINEAR' ? ` ${status.voiFunction.toLowerCase()}` : ''}
            {status.invert ? ' (inverted)' : ''}
          </div>
        )}
        {status.zoom !== null && <div>Zoom {status.zoom.toFixed(2)}</div>}
        {status.calibrationLabel && <div className="calibration">{status.calibrationLabel}</div>}
      </div>
      {markers && (
        <>
          <div className="marker left">{markers.left}</div>
          <div className="marker right">{markers.right}</div>
          <div className="marker top">{markers.top}</div>
          <div className="marker bottom">{markers.bottom}</div>
        </>
      )}
      {status.status === 'error' && (
        <div className="viewport-message" role="alert">
          {status.error}
        </div>
      )}
      {status.status === 'loading' && <div className="viewport-message loading">Loading…</div>}
    </div>
  );
}

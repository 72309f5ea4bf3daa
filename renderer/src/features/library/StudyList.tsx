import type { ReactElement } from 'react';
import type { Study } from '../../../../shared/api/schemas.ts';
import { formatDicomDate, formatPersonName } from '../../ui/format.ts';

interface Props {
  studies: Study[];
  caption: string;
}

/** Studies as plain text: header values are untrusted and React renders them as text only. */
export function StudyList({ studies, caption }: Props): ReactElement {
  return (
    <table className="studies" aria-label={caption}>
      <thead>
        <tr>
          <th>Patient</th>
          <th>Patient ID</th>
          <th>Birth date</th>
          <th>Study date</th>
          <th>Description</th>
          <th>Modalities</th>
          <th>Series</th>
          <th>Instances</th>
        </tr>
      </thead>
      <tbody>
        {studies.map((study) => (
          <tr key={study.studyInstanceUid} data-study-uid={study.studyInstanceUid}>
            <td className="patient-name">{formatPersonName(study.patientName) || '(no name)'}</td>
            <td className="mono">{study.patientId}</td>
            <td className="date">{formatDicomDate(study.patientBirthDate)}</td>
            <td className="date">{formatDicomDate(study.studyDate)}</td>
            <td>{study.studyDescription}</td>
            <td>{study.modalities.join(', ')}</td>
            <td className="num">{study.seriesCount}</td>
            <td className="num">
              {study.instanceCount}
              {study.nonImageInstanceCount > 0 ? ` (${study.nonImageInstanceCount} not images)` : ''}
            </td>
          </tr>
        ))}
        {studies.length === 0 && (
          <tr>
            <td colSpan={8} className="empty">
              No studies yet.
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

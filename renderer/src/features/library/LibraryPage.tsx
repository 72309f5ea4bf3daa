import { useEffect, useState } from 'react';
import type { ReactElement } from 'react';
import type { ApiResponse, Study } from '../../../../shared/api/schemas.ts';
import { api } from '../../api/api.ts';
import { useWorkstation } from '../../state/store.ts';
import { formatHeaderText, formatPersonName, plainText } from '../../../../shared/dicom/display-text.ts';
import { formatDicomDate, formatLocalTime } from '../../ui/format.ts';
import { representativeImageId } from '../../imaging/image-ids.ts';
import { SeriesThumbnail } from '../../ui/SeriesThumbnail.tsx';
import { StudyList } from './StudyList.tsx';

interface Props {
  onOpen(study: Study): void;
}

/** Who and what the selected study is, with the values a narrow worklist leaves out (birth date, accession). */
function SelectedStudyHead({ study }: { study: Study }): ReactElement {
  const name = formatPersonName(study.localPatientName) || '(no name)';
  const received = formatPersonName(study.patientName) || '(no name)';
  const description = formatHeaderText(study.studyDescription);
  return (
    <div className="study-head selected-study">
      <div className="strong" title={name}>{name}</div>
      {received !== name && <div className="muted" title={received}>received as {received}</div>}
      <div>
        <a href={`#/patient/${study.localPatientId}`} className="patient-link">
          Patient page{study.openProposals > 0 ? ` (${study.openProposals} link proposal${study.openProposals === 1 ? '' : 's'} to review)` : ''}
        </a>
      </div>
      <div className="muted">
        ID {plainText(study.patientId) || '-'} · born {formatDicomDate(study.patientBirthDate) || '-'} {plainText(study.patientSex)}
      </div>
      <div className="muted">
        {formatDicomDate(study.studyDate) || '(no date)'} · accession {plainText(study.accessionNumber) || '-'}
      </div>
      {description && <div title={description}>{description}</div>}
    </div>
  );
}

/** The worklist: search, sort, arrows and Enter; the selected patient's other studies beside it. */
export function LibraryPage({ onOpen }: Props): ReactElement {
  const studies = useWorkstation((state) => state.studies);
  const search = useWorkstation((state) => state.studySearch);
  const setSearch = useWorkstation((state) => state.setStudySearch);
  const filters = useWorkstation((state) => state.studyFilters);
  const setFilters = useWorkstation((state) => state.setStudyFilters);
  const unfiledCount = useWorkstation((state) => state.unfiled.length);
  const setPage = useWorkstation((state) => state.setPage);
  const toDicom = (value: string): string => value.replace(/-/g, '');
  const fromDicom = (value: string): string => (value ? `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6)}` : '');
  const [selected, setSelected] = useState<Study | null>(null);
  const [detail, setDetail] = useState<ApiResponse<'getStudy'> | null>(null);

  useEffect(() => {
    if (!selected) {
      setDetail(null);
      return;
    }
    api.getStudy({ studyInstanceUid: selected.studyInstanceUid }).then(setDetail, () => setDetail(null));
  }, [selected]);

  return (
    <div className="library">
      <section className="panel">
        <div className="search-row">
          <label htmlFor="study-search">Search</label>
          <input
            id="study-search"
            type="search"
            value={search}
            placeholder="Name (any script), patient ID, accession, description"
            onChange={(event) => setSearch(event.target.value)}
          />
        </div>
        <div className="filter-row">
          <label>
            From <input type="date" aria-label="Study date from" value={fromDicom(filters.dateFrom)} onChange={(e) => setFilters({ dateFrom: toDicom(e.target.value) })} />
          </label>
          <label>
            To <input type="date" aria-label="Study date to" value={fromDicom(filters.dateTo)} onChange={(e) => setFilters({ dateTo: toDicom(e.target.value) })} />
          </label>
          <label>
            Modality{' '}
            <select aria-label="Modality" value={filters.modality} onChange={(e) => setFilters({ modality: e.target.value })}>
              <option value="">Any</option>
              {['MG', 'MR', 'US', 'CT', 'CR', 'DX', 'RG', 'OT', 'SR', 'DOC'].map((m) => (
                <option key={m} value={m}>{m}</option>
              ))}
            </select>
          </label>
          <span className="muted">{studies.length} studies</span>
          {unfiledCount > 0 && (
            <button type="button" className="attention-link" data-unfiled-count={unfiledCount} onClick={() => setPage('attention')}>
              Needs attention: {unfiledCount} unfiled instance{unfiledCount === 1 ? '' : 's'}
            </button>
          )}
        </div>
        <StudyList studies={studies} caption="Library" onOpen={onOpen} onSelect={setSelected} />
      </section>
      {detail && (
        <aside className="panel priors-panel" aria-label="Selected study">
          <SelectedStudyHead study={detail.study} />
          <h2>Series ({detail.series.length})</h2>
          <ul className="series-tiles">
            {detail.series.map((series) => (
              <li key={series.seriesInstanceUid} className="series-tile" data-series-uid={series.seriesInstanceUid}>
                <SeriesThumbnail imageId={representativeImageId(series)} />
                <span className="strong">{series.modality} {series.seriesNumber ?? ''}</span>
                <span>{formatHeaderText(series.seriesDescription) || '(no description)'}</span>
                <span className="muted">{series.instances.length} instance{series.instances.length === 1 ? '' : 's'}</span>
              </li>
            ))}
          </ul>
          <h2>Other studies of this patient ({detail.otherStudies.length})</h2>
          <ul>
            {detail.otherStudies.map((other) => (
              <li key={other.studyInstanceUid} className="other-study" data-study-uid={other.studyInstanceUid}>
                <a href={`#/viewer/${other.studyInstanceUid}`} title="Open this study">
                  {formatDicomDate(other.studyDate) || '(no date)'} {other.modalities.join(', ')} {formatHeaderText(other.studyDescription)}
                </a>
              </li>
            ))}
          </ul>
          <h2>Imported from</h2>
          <ul>
            {detail.importedFrom.map((session) => (
              <li key={session.sessionId} className="mono">
                {session.source} ({formatLocalTime(session.startedAt)})
              </li>
            ))}
          </ul>
          <button type="button" className="primary" onClick={() => onOpen(detail.study)}>
            Open
          </button>
        </aside>
      )}
    </div>
  );
}

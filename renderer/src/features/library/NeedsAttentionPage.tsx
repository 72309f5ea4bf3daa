import { useEffect, useState } from 'react';
import type { ReactElement } from 'react';
import { ApiError } from '../../../../shared/api/errors.ts';
import type { FilingResult, UnfiledInstance } from '../../../../shared/api/schemas.ts';
import { formatHeaderText, formatPersonName, plainText } from '../../../../shared/dicom/display-text.ts';
import { api } from '../../api/api.ts';
import { useWorkstation } from '../../state/store.ts';
import { formatDicomDate, formatLocalTime } from '../../ui/format.ts';

interface Props {
  onBack(): void;
}

const BY_UID = 'by-uid';
const NEW_STUDY = 'new-study';

interface Refusal {
  message: string;
  /** The study whose patient identity differs: a person may confirm filing it there anyway. */
  otherPatientStudy: string | null;
}

/** One unfiled instance and the form that files it: a study of the same patient, a study by UID, or a new study. */
function UnfiledRow({ item, onFiled }: { item: UnfiledInstance; onFiled(result: FilingResult): void }): ReactElement {
  const [choice, setChoice] = useState('');
  const [uidText, setUidText] = useState('');
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [busy, setBusy] = useState(false);
  const target = choice === BY_UID ? uidText.trim() : choice;
  const ready = choice === NEW_STUDY || /^[0-9.]{1,64}$/.test(target);

  const file = async (otherPatient: boolean): Promise<void> => {
    setBusy(true);
    setRefusal(null);
    try {
      const request = choice === NEW_STUDY
        ? { sopInstanceUid: item.sopInstanceUid, newStudy: true as const }
        : { sopInstanceUid: item.sopInstanceUid, studyInstanceUid: target, ...(otherPatient ? { otherPatient: true } : {}) };
      const { filed } = await api.fileInstance(request);
      onFiled(filed);
    } catch (error) {
      const reason = error instanceof ApiError ? (error.details as { reason?: string } | undefined)?.reason : undefined;
      setRefusal({
        message: error instanceof Error ? error.message : String(error),
        otherPatientStudy: reason === 'other-patient' ? target : null,
      });
    } finally {
      setBusy(false);
    }
  };

  const missing = [item.studyInstanceUid ? null : 'Study Instance UID', item.seriesInstanceUid ? null : 'Series Instance UID']
    .filter(Boolean)
    .join(' and ');
  return (
    <li className="unfiled panel" data-sop-instance-uid={item.sopInstanceUid}>
      <div className="unfiled-head">
        <span className="strong">{formatPersonName(item.patientName) || '(no name)'}</span>
        <span className="muted">
          {[
            `ID ${plainText(item.patientId) || '-'}`,
            `born ${formatDicomDate(item.patientBirthDate) || '-'}`,
            plainText(item.patientSex),
            plainText(item.modality),
          ].filter(Boolean).join(' · ')}
        </span>
      </div>
      <div>
        No {missing}: Concord does not guess its study.
      </div>
      <div className="muted mono unfiled-uid" title="SOP Instance UID">{item.sopInstanceUid}</div>
      <div className="muted">
        From {item.source} (import {item.importSessionId ?? '-'}, {formatLocalTime(item.importedAt)})
        {item.seriesInstanceUid && <> · series {item.seriesInstanceUid}</>}
        {item.studyInstanceUid && <> · study {item.studyInstanceUid}</>}
      </div>
      <div className="filing-row">
        <label>
          File into{' '}
          <select aria-label="File into" value={choice} onChange={(e) => { setChoice(e.target.value); setRefusal(null); }}>
            <option value="">Choose a study…</option>
            {item.candidates.length > 0 && (
              <optgroup label="This patient's studies">
                {item.candidates.map((c) => (
                  <option key={c.studyInstanceUid} value={c.studyInstanceUid}>
                    {formatDicomDate(c.studyDate) || '(no date)'} {c.modalities.join(', ')} {formatHeaderText(c.studyDescription)}
                  </option>
                ))}
              </optgroup>
            )}
            <option value={BY_UID}>A study by its Study Instance UID…</option>
            <option value={NEW_STUDY}>A new study (Concord makes its UIDs)</option>
          </select>
        </label>
        {choice === BY_UID && (
          <input
            type="text"
            aria-label="Study Instance UID"
            className="mono"
            value={uidText}
            placeholder="1.2.840…"
            onChange={(e) => setUidText(e.target.value)}
          />
        )}
        <button type="button" className="primary" disabled={!ready || busy} onClick={() => void file(false)}>
          File
        </button>
      </div>
      {refusal && (
        <div className="filing-refusal" role="alert">
          <span className="error">{refusal.message}</span>
          {refusal.otherPatientStudy && (
            <button type="button" className="danger" disabled={busy} onClick={() => void file(true)}>
              File it under that study&apos;s patient anyway
            </button>
          )}
        </div>
      )}
    </li>
  );
}

/** Instances stored without a study: a person files each into an existing or a new study. */
export function NeedsAttentionPage({ onBack }: Props): ReactElement {
  const unfiled = useWorkstation((state) => state.unfiled);
  const refreshUnfiled = useWorkstation((state) => state.refreshUnfiled);
  const refreshStudies = useWorkstation((state) => state.refreshStudies);
  const [filed, setFiled] = useState<FilingResult[]>([]);

  useEffect(() => {
    void refreshUnfiled();
  }, [refreshUnfiled]);

  const onFiled = (result: FilingResult): void => {
    setFiled((previous) => [result, ...previous]);
    void refreshUnfiled();
    void refreshStudies();
  };

  return (
    <div className="attention-page">
      <section className="panel">
        <div className="attention-head">
          <h2>Needs attention</h2>
          <button type="button" onClick={onBack}>Back to the library</button>
        </div>
        <p className="muted">
          These instances were stored as received, but their files name no study or no series, so they are in no study yet.
          File each into one of the patient&apos;s studies, a study by its UID, or a new study. The stored file is not changed.
        </p>
        {filed.map((result) => (
          <p key={result.sopInstanceUid} className="filed-note" role="status">
            Filed {result.sopInstanceUid} into {result.studyCreated ? 'a new study' : 'study'} {result.studyInstanceUid}
            {result.studyUidGenerated || result.seriesUidGenerated ? ' (UIDs made by Concord)' : ''}.
          </p>
        ))}
        {unfiled.length === 0 && <p className="empty-note">Nothing needs attention: every instance is in a study.</p>}
      </section>
      <ul className="unfiled-list" aria-label="Unfiled instances">
        {unfiled.map((item) => (
          <UnfiledRow key={item.sopInstanceUid} item={item} onFiled={onFiled} />
        ))}
      </ul>
    </div>
  );
}

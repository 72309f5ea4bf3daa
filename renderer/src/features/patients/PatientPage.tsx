import { useCallback, useEffect, useState } from 'react';
import type { ReactElement } from 'react';
import type { ApiResponse, Evidence, Identity, Proposal } from '../../../../shared/api/schemas.ts';
import { formatHeaderText, formatPersonName, plainText } from '../../../../shared/dicom/display-text.ts';
import { api } from '../../api/api.ts';
import { useWorkstation } from '../../state/store.ts';
import { formatDicomDate, formatLocalTime } from '../../ui/format.ts';

interface Props {
  patientId: number;
}

const ATTRIBUTE_LABELS: Record<Evidence['attribute'], string> = {
  name: 'Name',
  birthDate: 'Birth date',
  sex: 'Sex',
  patientId: 'Patient ID',
  issuer: 'Issuer of patient ID',
  otherPatientIds: 'Other patient IDs',
};

function shownValue(evidence: Evidence, value: string): string {
  if (evidence.attribute === 'name') {
    return formatPersonName(value) || '(none)';
  }
  if (evidence.attribute === 'birthDate') {
    return formatDicomDate(plainText(value)) || '(none)';
  }
  return plainText(value) || '(none)';
}

function verdictOf(evidence: Evidence): { text: string; className: string } {
  if (evidence.agrees === true) {
    return { text: 'agrees', className: 'evidence-for' };
  }
  if (evidence.agrees === false) {
    return { text: 'differs', className: 'evidence-against' };
  }
  return { text: 'says nothing', className: 'muted' };
}

/** Where an identity came from: its facilities and the imports that brought it. */
function identitySource(identity: Identity): string {
  const facilities = identity.facilities.map(plainText).join('; ') || '(no facility recorded)';
  const imports = identity.imports.map((i) => plainText(i.source)).join('; ');
  return imports ? `${facilities} · imported from ${imports}` : facilities;
}

function IdentityLine({ identity }: { identity: Identity }): ReactElement {
  return (
    <>
      <span className="strong">{formatPersonName(identity.name) || '(no name)'}</span>{' '}
      <span className="mono">ID {plainText(identity.patientId) || '-'}</span>
      {identity.issuer && <span className="muted"> (issuer {plainText(identity.issuer)})</span>}
      <span> · born {formatDicomDate(plainText(identity.birthDate)) || '-'} · {plainText(identity.sex) || '-'}</span>
      <div className="muted">{identitySource(identity)}</div>
    </>
  );
}

/** One proposal: both identities, the evidence attribute by attribute, and the decision. */
function ProposalCard({ proposal, onDecide, busy }: { proposal: Proposal; busy: boolean; onDecide(decision: 'accept' | 'reject'): void }): ReactElement {
  const [first, second] = proposal.identities;
  return (
    <article className="proposal" data-proposal-id={proposal.id} aria-label={`Link proposal ${proposal.id}`}>
      <h3>Are these one person?</h3>
      <table className="evidence">
        <thead>
          <tr>
            <th scope="col">Attribute</th>
            <th scope="col">Identity {first?.id}</th>
            <th scope="col">Identity {second?.id}</th>
            <th scope="col">Evidence</th>
          </tr>
        </thead>
        <tbody>
          {proposal.evidence.map((evidence) => {
            const verdict = verdictOf(evidence);
            return (
              <tr key={evidence.attribute} data-attribute={evidence.attribute} data-agrees={String(evidence.agrees)}>
                <th scope="row">{ATTRIBUTE_LABELS[evidence.attribute]}</th>
                <td title={plainText(evidence.values[0])}>{shownValue(evidence, evidence.values[0])}</td>
                <td title={plainText(evidence.values[1])}>{shownValue(evidence, evidence.values[1])}</td>
                <td>
                  <span className={verdict.className}>{verdict.text}</span>
                  <span className="muted">: {evidence.note}</span>
                </td>
              </tr>
            );
          })}
          <tr>
            <th scope="row">Came from</th>
            <td>{first ? identitySource(first) : ''}</td>
            <td>{second ? identitySource(second) : ''}</td>
            <td />
          </tr>
        </tbody>
      </table>
      <div className="proposal-actions">
        <button type="button" className="primary" disabled={busy} onClick={() => onDecide('accept')}>
          Accept: one patient
        </button>
        <button type="button" disabled={busy} onClick={() => onDecide('reject')}>
          Reject: not the same person
        </button>
      </div>
    </article>
  );
}

/**
 * A local patient: the studies of every linked identity on one timeline, the identities behind it
 * (each can be unlinked), and the open link proposals to decide.
 */
export function PatientPage({ patientId }: Props): ReactElement {
  const [data, setData] = useState<ApiResponse<'getPatient'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const refreshStudies = useWorkstation((state) => state.refreshStudies);

  const load = useCallback(() => {
    api.getPatient({ patientId }).then(
      (response) => {
        setData(response);
        setError(null);
      },
      (reason: unknown) => setError(reason instanceof Error ? reason.message : String(reason)),
    );
  }, [patientId]);
  useEffect(load, [load]);

  const act = (action: () => Promise<{ localPatientId: number | null }>): void => {
    setBusy(true);
    action().then(
      () => {
        setBusy(false);
        void refreshStudies();
        load();
      },
      (reason: unknown) => {
        setBusy(false);
        setError(reason instanceof Error ? reason.message : String(reason));
        load();
      },
    );
  };

  const decide = (proposal: Proposal, decision: 'accept' | 'reject'): void =>
    act(async () => {
      const result = await api.decideProposal({ proposalId: proposal.id, decision });
      // After an accept the two are one patient, which may keep the other number.
      if (decision === 'accept' && result.localPatientId !== null && result.localPatientId !== patientId) {
        window.location.hash = `#/patient/${result.localPatientId}`;
      }
      return result;
    });
  const undo = (identity: Identity): void => act(() => api.undoLink({ patientId, identityId: identity.id }));

  if (error && !data) {
    return <div className="panel error" role="alert">{error}</div>;
  }
  if (!data) {
    return <div className="panel muted">Loading patient…</div>;
  }
  const { patient, proposals } = data;
  return (
    <div className="patient-page" data-patient-id={patient.id}>
      <section className="panel">
        <h1 className="patient-name">{formatPersonName(patient.name) || '(no name)'}</h1>
        <div className="muted">
          Patient {patient.id} · born {formatDicomDate(plainText(patient.birthDate)) || '-'} · {plainText(patient.sex) || '-'} ·{' '}
          {patient.identities.length} outside identit{patient.identities.length === 1 ? 'y' : 'ies'}
        </div>
        {error && <div className="error" role="alert">{error}</div>}
      </section>
      <section className="panel" aria-label="Studies">
        <h2>Studies across facilities ({patient.studies.length})</h2>
        <table className="timeline">
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Modality</th>
              <th scope="col">Facility</th>
              <th scope="col">Description</th>
              <th scope="col">Identity</th>
              <th scope="col">Imported from</th>
            </tr>
          </thead>
          <tbody>
            {patient.studies.map((study) => (
              <tr key={study.studyInstanceUid} data-study-uid={study.studyInstanceUid}>
                <td className="date">
                  <a href={`#/viewer/${study.studyInstanceUid}`} title="Open this study">{formatDicomDate(study.studyDate) || '(no date)'}</a>
                </td>
                <td>{study.modalities.join(', ')}</td>
                <td>{plainText(study.facility) || '(not recorded)'}</td>
                <td>{formatHeaderText(study.studyDescription)}</td>
                <td className="mono">{study.identityId}</td>
                <td className="muted" title={study.importedBy ? plainText(study.importedBy.source) : ''}>
                  {study.importedBy ? `${plainText(study.importedBy.source)} (${formatLocalTime(study.importedBy.startedAt)})` : '-'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="panel" aria-label="Identities">
        <h2>Outside identities, as received ({patient.identities.length})</h2>
        <ul className="identities">
          {patient.identities.map((identity) => (
            <li key={identity.id} data-identity-id={identity.id}>
              <span className="mono muted">Identity {identity.id}</span> <IdentityLine identity={identity} />
              {patient.identities.length > 1 && (
                <button type="button" disabled={busy} onClick={() => undo(identity)}>
                  Undo link
                </button>
              )}
            </li>
          ))}
        </ul>
      </section>
      <section className="panel" aria-label="Link proposals">
        <h2>Link proposals to review ({proposals.length})</h2>
        {proposals.length === 0 && <p className="muted">No open proposals for this patient.</p>}
        {proposals.map((proposal) => (
          <ProposalCard key={proposal.id} proposal={proposal} busy={busy} onDecide={(decision) => decide(proposal, decision)} />
        ))}
      </section>
    </div>
  );
}

import type { ReactElement } from 'react';
import type { Study } from '../../../shared/api/schemas.ts';
import { formatHeaderText, formatPersonName } from '../../../shared/dicom/display-text.ts';
import { formatDicomDate } from './format.ts';
import './safety-header.css';

/**
 * Who is on the screen, in every layout: name, patient ID, birth date and sex, the current study's
 * date (and facility where known) and, when a prior is shown, its date and facility, with its own
 * patient ID when it came under another linked identity. Header text is untrusted: it is rendered
 * as text only (React escapes it), cleaned of control characters and cut to a bound.
 */

export interface ShownPrior {
  /** The prior's details when loaded: its identity (patient ID, issuer) is compared with the current one. */
  study: Study | null;
  studyDate: string;
  facility: string;
}

interface Props {
  current: Study;
  /** The current study's facility (Institution Name), where known. */
  currentFacility?: string | null;
  prior?: ShownPrior | null;
  /** Inside the reporting pane: the same facts, smaller. */
  compact?: boolean;
  /** How the study shown is named: "Current" beside a prior; "Study" where it is shown alone. */
  studyWord?: 'Current' | 'Study';
}

function cut(text: string, limit: number): string {
  const plain = formatHeaderText(text);
  return plain.length > limit ? `${plain.slice(0, limit - 1)}…` : plain;
}

const SEXES: Record<string, string> = { F: 'female', M: 'male', O: 'other' };

function identityText(study: Study): string {
  const issuer = cut(study.issuerOfPatientId, 40);
  return `${cut(study.patientId, 64) || '(no ID)'}${issuer ? ` (${issuer})` : ''}`;
}

/** Another identity: a different patient ID or issuer than the current study's, linked as the same woman. */
function otherIdentity(current: Study, prior: Study | null): boolean {
  return prior !== null && (prior.patientId !== current.patientId || prior.issuerOfPatientId !== current.issuerOfPatientId);
}

export function PatientSafetyHeader({ current, currentFacility = null, prior = null, compact = false, studyWord = 'Current' }: Props): ReactElement {
  const sex = SEXES[current.patientSex.trim().toUpperCase()] ?? (cut(current.patientSex, 8) || 'unknown');
  const facility = currentFacility ? cut(currentFacility, 60) : '';
  const priorFacility = prior ? cut(prior.facility, 60) || 'facility unknown' : '';
  return (
    <section className={compact ? 'safety-header compact' : 'safety-header'} aria-label="Patient" data-safety-header>
      <span className="safety-name" data-safety="name">{formatPersonName(current.patientName) || '(no name)'}</span>
      <span data-safety="id">ID {identityText(current)}</span>
      <span data-safety="birth-date">Born {formatDicomDate(current.patientBirthDate) || 'unknown'}</span>
      <span data-safety="sex">Sex {sex}</span>
      <span className="safety-study current" data-safety="current">
        {studyWord} {formatDicomDate(current.studyDate) || 'date unknown'}
        {facility ? ` · ${facility}` : ''}
      </span>
      {prior && (
        <span className="safety-study prior" data-safety="prior">
          Prior {formatDicomDate(prior.studyDate) || 'date unknown'} · {priorFacility}
          {prior.study && otherIdentity(current, prior.study) && (
            <span className="safety-other-identity" data-safety="prior-identity" title="The prior came under another patient identity, linked to this patient">
              {' '}· under ID {identityText(prior.study)}
            </span>
          )}
        </span>
      )}
    </section>
  );
}

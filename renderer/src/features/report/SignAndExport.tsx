import { useMemo, useState } from 'react';
import type { ReactElement } from 'react';
import { amendmentLabel, reportExportFileName, reportVersion, versionedExports } from '../../../../shared/reports/export-versions.ts';
import { generateNarrative, narrativeWarnings, secondOpinionText } from '../../../../shared/reports/narrative.ts';
import { signingBlockers } from '../../../../shared/reports/report-logic.ts';
import type { ReaderProfile, Report } from '../../../../shared/reports/report-model.ts';
import type { AuditEventRecord } from '../../../../shared/api/schemas.ts';
import { downloadDocument, downloadText } from '../../ui/download.ts';
import { formatLocalTime } from '../../ui/format.ts';
import { reportTextForPasting } from './pasted-text.ts';
import { TextArea, TextField } from './fields.tsx';
import { useReport } from './report-store.ts';
import { SignConfirmation } from './SignConfirmation.tsx';

/** A profile id from a name: lower case letters, digits and dashes, as the profile schema asks. */
export function profileIdOf(name: string): string {
  const slug = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
  return slug || 'reader';
}

/**
 * Adds a reader profile inline, or edits the chosen one: name, credentials, signature line and the
 * reading institution (the SR's verifying organisation); it becomes the reader at the screen.
 */
function ProfileForm({ initial, onSaved }: { initial: ReaderProfile | null; onSaved(): void }): ReactElement {
  const saveProfile = useReport((state) => state.saveProfile);
  const [profile, setProfile] = useState({
    name: initial?.name ?? '',
    credentials: initial?.credentials ?? '',
    signatureLine: initial?.signatureLine ?? '',
    institution: initial?.institution ?? '',
  });
  return (
    <form
      className="profile-form"
      aria-label={initial ? 'Edit the reader profile' : 'New reader profile'}
      onSubmit={(event) => {
        event.preventDefault();
        const full: ReaderProfile = { id: initial?.id ?? profileIdOf(profile.name), ...profile, name: profile.name.trim(), institution: profile.institution.trim() };
        void saveProfile(full).then((saved) => saved && onSaved());
      }}
    >
      <div className="form-grid">
        <TextField label="Name" field="profile-name" value={profile.name} onChange={(name) => setProfile({ ...profile, name })} />
        <TextField label="Credentials" field="profile-credentials" value={profile.credentials} onChange={(credentials) => setProfile({ ...profile, credentials })} />
        <TextField label="Signature line" field="profile-signature" value={profile.signatureLine} onChange={(signatureLine) => setProfile({ ...profile, signatureLine })} />
        <TextField label="Reading institution" field="profile-institution" value={profile.institution} onChange={(institution) => setProfile({ ...profile, institution })} />
      </div>
      <button type="submit" disabled={profile.name.trim() === ''}>
        Save the profile
      </button>
    </form>
  );
}

/** The reader at the screen: signs, and is named in the audit trail. A profile can be added or edited in place. */
export function ProfilePicker(): ReactElement {
  const profiles = useReport((state) => state.profiles);
  const readerId = useReport((state) => state.readerId);
  const setReader = useReport((state) => state.setReader);
  const [form, setForm] = useState<'new' | 'edit' | null>(null);
  const chosen = profiles.find((profile) => profile.id === readerId) ?? null;
  return (
    <div className="profile-picker">
      <label>
        Reader{' '}
        <select data-field="profile" value={readerId ?? ''} onChange={(event) => setReader(event.target.value || null)}>
          {(profiles.length === 0 || readerId === null) && <option value="">{profiles.length === 0 ? 'no profile yet' : 'choose…'}</option>}
          {profiles.map((profile) => (
            <option key={profile.id} value={profile.id}>
              {profile.name}
              {profile.credentials ? `, ${profile.credentials}` : ''}
              {profile.institution ? ` · ${profile.institution}` : ''}
            </option>
          ))}
        </select>
      </label>{' '}
      <button type="button" className="small" aria-expanded={form === 'new'} onClick={() => setForm(form === 'new' ? null : 'new')}>
        New profile…
      </button>
      {chosen && (
        <>
          {' '}
          <button type="button" className="small" aria-expanded={form === 'edit'} onClick={() => setForm(form === 'edit' ? null : 'edit')}>
            Edit profile…
          </button>
        </>
      )}
      {form !== null && <ProfileForm key={`${form}-${chosen?.id ?? ''}`} initial={form === 'edit' ? chosen : null} onSaved={() => setForm(null)} />}
    </div>
  );
}

const EXPORT_KIND_LABELS = { sr: 'DICOM SR', 'encapsulated-pdf': 'Encapsulated PDF' } as const;


/**
 * SR and Encapsulated PDF written into the library, newest first, each with the version of the report
 * it says (an addendum makes a new version and supersedes what was exported before); the PDF to open
 * or save and the text to paste, saved under the patient's name, the date and the version.
 */
function Exports({ report }: { report: Report }): ReactElement {
  const exportReport = useReport((state) => state.exportReport);
  const [busy, setBusy] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const study = useReport((state) => state.study?.study ?? null);
  const text = useMemo(() => reportTextForPasting(report, study), [report, study]);
  const current = reportVersion(report);
  const exported = [...versionedExports(report)].reverse();
  const fileName = (version: number, extension: 'pdf' | 'txt'): string => reportExportFileName(report, study?.patientName ?? '', version, extension);
  const run = (kinds: ('sr' | 'encapsulated-pdf')[]): void => {
    setBusy(true);
    void exportReport(kinds).finally(() => setBusy(false));
  };
  return (
    <section className="exports" aria-label="Exports">
      <h3>Export</h3>
      <div className="row">
        <button type="button" disabled={busy} onClick={() => run(['sr', 'encapsulated-pdf'])}>
          Write SR and PDF into the library
        </button>
        <button type="button" disabled={busy} onClick={() => run(['sr'])}>
          SR only
        </button>
        <button type="button" disabled={busy} onClick={() => run(['encapsulated-pdf'])}>
          Encapsulated PDF only
        </button>
        <button type="button" onClick={() => downloadText(fileName(current, 'txt'), text)}>
          Save as text
        </button>
        <button type="button" onClick={() => void navigator.clipboard?.writeText(text)}>
          Copy text
        </button>
      </div>
      {exported.some((entry) => !entry.superseded) || exported.length === 0 ? null : (
        <p className="note" data-exports-outdated>
          Every export below is of an earlier version: write the SR and PDF again for version {current} ({amendmentLabel(current)}).
        </p>
      )}
      {saveError && <p className="note">{saveError}</p>}
      <ul className="export-list" aria-label="Exports in the library">
        {exported.map((entry) => {
          const amendment = amendmentLabel(entry.version);
          const link = `#/viewer/${report.studyInstanceUid}/${entry.sopInstanceUid}`;
          return (
            <li
              key={entry.sopInstanceUid}
              data-export={entry.kind}
              data-export-version={entry.version}
              data-superseded={entry.superseded}
              className={entry.superseded ? 'superseded' : undefined}
            >
              <span className="export-name">
                {EXPORT_KIND_LABELS[entry.kind]} · version {entry.version}
                {amendment ? ` (${amendment})` : ''}
              </span>{' '}
              {entry.superseded ? (
                <strong className="export-state superseded">superseded by version {current}</strong>
              ) : (
                <span className="export-state current">current</span>
              )}{' '}
              <span className="muted">written {formatLocalTime(entry.createdAt)}</span> · <a href={link}>open</a>
              {entry.kind === 'encapsulated-pdf' && (
                <>
                  {' · '}
                  <a
                    href={`${location.origin}/document/${entry.sopInstanceUid}`}
                    download={fileName(entry.version, 'pdf')}
                    onClick={(event) => {
                      // The host names every document "document.pdf"; the page saves it under its own name.
                      event.preventDefault();
                      setSaveError(null);
                      downloadDocument(entry.sopInstanceUid, fileName(entry.version, 'pdf')).catch((error: unknown) =>
                        setSaveError(error instanceof Error ? error.message : String(error)),
                      );
                    }}
                  >
                    save the PDF
                  </a>
                </>
              )}{' '}
              <span className="mono muted">{entry.sopInstanceUid}</span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** The report as signed: text only, the signature, the addenda (each signed) and a new addendum. */
function SignedView({ report }: { report: Report }): ReactElement {
  const addAddendum = useReport((state) => state.addAddendum);
  const readerId = useReport((state) => state.readerId);
  const [text, setText] = useState('');
  const narrative = useMemo(() => generateNarrative(report.content), [report.content]);
  return (
    <section className="signed" aria-label="Signed report" data-report-status={report.status}>
      {report.signature && (
        <p className="signature" data-signature>
          Signed by <strong>{report.signature.name}</strong>
          {report.signature.credentials ? `, ${report.signature.credentials}` : ''} on {formatLocalTime(report.signature.signedAt)}
          {report.signature.signatureLine && <span className="muted"> · {report.signature.signatureLine}</span>}
        </p>
      )}
      <pre className="report-text">{secondOpinionText(report.content)}</pre>
      {narrative.additions.map((section) => (
        <div key={section.id}>
          <h3>{section.title}</h3>
          <pre className="report-text">{section.text}</pre>
        </div>
      ))}
      {report.addenda.map((addendum) => (
        <div key={addendum.id} className="addendum" data-addendum={addendum.id}>
          <h3>Addendum {addendum.id}</h3>
          <pre className="report-text">{addendum.text}</pre>
          <p className="muted">
            Signed by {addendum.signature.name} on {formatLocalTime(addendum.signature.signedAt)}
          </p>
        </div>
      ))}
      <details className="addendum-form">
        <summary>Add a signed addendum</summary>
        <TextArea label="Addendum" field="addendum" value={text} rows={3} onChange={setText} />
        <ProfilePicker />
        <button type="button" disabled={!text.trim() || !readerId} onClick={() => void addAddendum(text).then((added) => added && setText(''))}>
          Sign the addendum
        </button>
      </details>
      <Exports report={report} />
    </section>
  );
}

const AUDIT_WORDS: Record<AuditEventRecord['action'], string> = {
  created: 'created',
  opened: 'opened',
  edited: 'edited',
  signed: 'signed',
  addendum: 'added an addendum',
  exported: 'exported',
  communication: 'documented the communication',
  outcome: 'recorded an outcome',
  'key-image': 'added a key image',
  profile: 'changed a profile',
  orientation: 'chose an image\'s orientation',
};

/** Who opened, edited, signed and exported the report, and when (newest first). */
function AuditTrail(): ReactElement | null {
  const audit = useReport((state) => state.audit);
  if (audit.length === 0) {
    return null;
  }
  return (
    <details className="audit">
      <summary>Audit trail ({audit.length})</summary>
      <ol reversed>
        {[...audit].reverse().map((event) => (
          <li key={event.id} data-audit={event.action}>
            <time className="muted" dateTime={event.at}>
              {formatLocalTime(event.at)}
            </time> {event.profileId ?? event.osUser} {AUDIT_WORDS[event.action]}
            {event.detail && <span className="muted"> · {event.detail}</span>}
          </li>
        ))}
      </ol>
    </details>
  );
}

/** Signing a draft (what still blocks it, the reader profile), or the signed report with its exports. */
export function SignAndExport({ report }: { report: Report }): ReactElement {
  const sign = useReport((state) => state.sign);
  const content = useReport((state) => state.content);
  const readerId = useReport((state) => state.readerId);
  const profiles = useReport((state) => state.profiles);
  const [confirming, setConfirming] = useState(false);
  if (report.status !== 'draft') {
    return (
      <>
        <SignedView report={report} />
        <AuditTrail />
      </>
    );
  }
  const blockers = content ? signingBlockers(content) : [];
  // Not blockers: what the reader should look at once more (a recommendation against the category, ...).
  const warnings = content ? narrativeWarnings(content.secondOpinion) : [];
  return (
    <>
      <section className="sign" aria-label="Sign">
        <h3>Sign</h3>
        <ProfilePicker />
        {blockers.length > 0 && (
          <div className="sign-blockers" role="alert" data-sign-blockers>
            <p>Cannot sign yet:</p>
            <ul>
              {blockers.map((blocker) => (
                <li key={blocker}>{blocker}</li>
              ))}
            </ul>
          </div>
        )}
        {!readerId && <p className="note">Choose or add the reader profile that signs.</p>}
        {warnings.length > 0 && (
          <ul className="warnings" aria-label="Check before signing">
            {warnings.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
        )}
        <button type="button" className="primary" disabled={blockers.length > 0 || !readerId} onClick={() => setConfirming(true)}>
          Sign and lock the report
        </button>
      </section>
      {confirming && content && (
        <SignConfirmation
          content={content}
          revision={report.revision}
          signer={profiles.find((profile) => profile.id === readerId) ?? null}
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            void sign();
          }}
        />
      )}
      <AuditTrail />
    </>
  );
}

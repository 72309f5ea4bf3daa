import { useMemo, useState } from 'react';
import type { ReactElement } from 'react';
import { generateNarrative, narrativeWarnings, secondOpinionText } from '../../../../shared/reports/narrative.ts';
import { signingBlockers } from '../../../../shared/reports/report-logic.ts';
import type { ReaderProfile, Report } from '../../../../shared/reports/report-model.ts';
import type { AuditEventRecord } from '../../../../shared/api/schemas.ts';
import { downloadText } from '../../ui/download.ts';
import { reportTextForPasting } from './pasted-text.ts';
import { TextArea, TextField } from './fields.tsx';
import { useReport } from './report-store.ts';

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

/** Adds a reader profile inline: name, credentials, signature line; it becomes the reader at the screen. */
function ProfileForm({ onSaved }: { onSaved(): void }): ReactElement {
  const saveProfile = useReport((state) => state.saveProfile);
  const [profile, setProfile] = useState({ name: '', credentials: '', signatureLine: '' });
  return (
    <form
      className="profile-form"
      aria-label="New reader profile"
      onSubmit={(event) => {
        event.preventDefault();
        const full: ReaderProfile = { id: profileIdOf(profile.name), ...profile, name: profile.name.trim() };
        void saveProfile(full).then((saved) => saved && onSaved());
      }}
    >
      <div className="form-grid">
        <TextField label="Name" field="profile-name" value={profile.name} onChange={(name) => setProfile({ ...profile, name })} />
        <TextField label="Credentials" field="profile-credentials" value={profile.credentials} onChange={(credentials) => setProfile({ ...profile, credentials })} />
        <TextField label="Signature line" field="profile-signature" value={profile.signatureLine} onChange={(signatureLine) => setProfile({ ...profile, signatureLine })} />
      </div>
      <button type="submit" disabled={profile.name.trim() === ''}>
        Save the profile
      </button>
    </form>
  );
}

/** The reader at the screen: signs, and is named in the audit trail. A new profile can be added in place. */
export function ProfilePicker(): ReactElement {
  const profiles = useReport((state) => state.profiles);
  const readerId = useReport((state) => state.readerId);
  const setReader = useReport((state) => state.setReader);
  const [adding, setAdding] = useState(false);
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
            </option>
          ))}
        </select>
      </label>{' '}
      <button type="button" className="small" aria-expanded={adding} onClick={() => setAdding(!adding)}>
        New profile…
      </button>
      {adding && <ProfileForm onSaved={() => setAdding(false)} />}
    </div>
  );
}

/** SR and Encapsulated PDF written into the library; the PDF to open or save, the text to paste. */
function Exports({ report }: { report: Report }): ReactElement {
  const exportReport = useReport((state) => state.exportReport);
  const [busy, setBusy] = useState(false);
  const study = useReport((state) => state.study?.study ?? null);
  const text = useMemo(() => reportTextForPasting(report, study), [report, study]);
  const latest = (kind: 'sr' | 'encapsulated-pdf'): string | null => [...report.exports].reverse().find((item) => item.kind === kind)?.sopInstanceUid ?? null;
  const sr = latest('sr');
  const pdf = latest('encapsulated-pdf');
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
        <button type="button" onClick={() => downloadText(`second-opinion-${report.id}.txt`, text)}>
          Save as text
        </button>
        <button type="button" onClick={() => void navigator.clipboard?.writeText(text)}>
          Copy text
        </button>
      </div>
      <ul className="export-list">
        {sr && (
          <li data-export="sr">
            DICOM SR in the library: <a href={`#/viewer/${report.studyInstanceUid}/${sr}`}>open</a> <span className="mono muted">{sr}</span>
          </li>
        )}
        {pdf && (
          <li data-export="encapsulated-pdf">
            Encapsulated PDF in the library: <a href={`#/viewer/${report.studyInstanceUid}/${pdf}`}>open</a> ·{' '}
            <a href={`${location.origin}/document/${pdf}`} download={`second-opinion-${report.id}.pdf`}>
              save the PDF
            </a>{' '}
            <span className="mono muted">{pdf}</span>
          </li>
        )}
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
          {report.signature.credentials ? `, ${report.signature.credentials}` : ''} on {report.signature.signedAt}
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
            Signed by {addendum.signature.name} on {addendum.signature.signedAt}
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
            <span className="mono muted">{event.at}</span> {event.profileId ?? event.osUser} {AUDIT_WORDS[event.action]}
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
        {blockers.length > 0 && <p className="note">Cannot sign yet: {blockers.join('; ')}.</p>}
        {!readerId && <p className="note">Choose or add the reader profile that signs.</p>}
        {warnings.length > 0 && (
          <ul className="warnings" aria-label="Check before signing">
            {warnings.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
        )}
        <button type="button" className="primary" disabled={blockers.length > 0 || !readerId} onClick={() => void sign()}>
          Sign and lock the report
        </button>
      </section>
      <AuditTrail />
    </>
  );
}

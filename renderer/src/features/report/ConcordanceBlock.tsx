import { useState } from 'react';
import type { ReactElement } from 'react';
import type { ApiRequest } from '../../../../shared/api/schemas.ts';
import { VERDICT_LABELS } from '../../../../shared/reports/narrative.ts';
import type { RADPEER_SCORES } from '../../../../shared/reports/report-model.ts';
import type { Report, ReportContent } from '../../../../shared/reports/report-model.ts';
import { formatDicomDate } from '../../ui/format.ts';
import { ChoiceField, DateField, TextArea, TextField, choicesOf } from './fields.tsx';
import { useReport } from './report-store.ts';

type Communication = ApiRequest<'recordCommunication'>['communication'];
type Outcome = ApiRequest<'recordOutcome'>['outcome'];

const CONFIRMED_CHOICES = choicesOf({ concordant: 'Concordant', minor: 'Minor discordance', major: 'Major discordance' });
const RADPEER_LABELS: Record<(typeof RADPEER_SCORES)[number], string> = {
  '1': '1 · concur with interpretation',
  '2a': '2a · discrepancy, not ordinarily expected to be made, unlikely clinically significant',
  '2b': '2b · discrepancy, not ordinarily expected to be made, likely clinically significant',
  '3a': '3a · discrepancy, should be made most of the time, unlikely clinically significant',
  '3b': '3b · discrepancy, should be made most of the time, likely clinically significant',
};
const HOW_LABELS = { phone: 'phone', 'in-person': 'in person', 'secure-message': 'secure message', letter: 'letter', fax: 'fax', other: 'other' } as const;
const OUTCOME_KIND_LABELS = { pathology: 'pathology', 'follow-up-imaging': 'follow-up imaging', clinical: 'clinical' } as const;
const OUTCOME_RESULT_LABELS = { malignant: 'malignant', 'high-risk': 'high-risk lesion', benign: 'benign', stable: 'stable', resolved: 'resolved', other: 'other' } as const;
const SUPPORT_LABELS = { outside: 'supports the outside reading', 'second-opinion': 'supports the second opinion', both: 'supports both readings', neither: 'supports neither reading' } as const;

/** The time now as the communication form's default, in the reader's local time (YYYY-MM-DD HH:MM). */
function nowText(): string {
  const now = new Date();
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}:${pad(now.getMinutes())}`;
}

/** Documents the communication of a major discordance to the referring physician. */
function CommunicationForm(): ReactElement {
  const record = useReport((state) => state.recordCommunication);
  const [form, setForm] = useState<Communication>({ to: '', at: nowText(), how: 'phone', by: '', note: '' });
  const complete = form.to.trim() !== '' && form.by.trim() !== '' && form.at.trim() !== '';
  return (
    <form
      className="communication-form"
      aria-label="Communication to the referring physician"
      onSubmit={(event) => {
        event.preventDefault();
        if (complete) {
          void record(form);
        }
      }}
    >
      <div className="form-grid">
        <TextField label="To (referring physician)" field="communication-to" value={form.to} onChange={(to) => setForm({ ...form, to })} />
        <TextField label="When" field="communication-at" value={form.at} maxLength={40} onChange={(at) => setForm({ ...form, at })} />
        <ChoiceField label="How" field="communication-how" value={form.how} choices={choicesOf(HOW_LABELS)} emptyLabel={null} onChange={(how) => how && setForm({ ...form, how })} />
        <TextField label="By" field="communication-by" value={form.by} onChange={(by) => setForm({ ...form, by })} />
      </div>
      <TextArea label="Note" field="communication-note" value={form.note} rows={2} onChange={(note) => setForm({ ...form, note })} />
      <button type="submit" disabled={!complete}>
        Record the communication
      </button>
    </form>
  );
}

/** A later pathology or follow-up result, per finding of the second opinion or for the whole case. */
function OutcomeForm({ content }: { content: ReportContent }): ReactElement {
  const record = useReport((state) => state.recordOutcome);
  const [form, setForm] = useState<Outcome>({ findingId: null, kind: 'pathology', result: 'benign', date: '', note: '' });
  const findingChoices = content.secondOpinion.findings.map((finding) => ({ value: finding.id, label: `${finding.id} (${finding.kind}, ${finding.location.laterality})` }));
  return (
    <form
      className="outcome-form"
      aria-label="Record an outcome"
      onSubmit={(event) => {
        event.preventDefault();
        void record(form).then((recorded) => recorded && setForm({ ...form, note: '' }));
      }}
    >
      <div className="form-grid">
        <ChoiceField label="Finding" field="outcome-finding" value={form.findingId} choices={findingChoices} emptyLabel="whole case" onChange={(findingId) => setForm({ ...form, findingId })} />
        <ChoiceField label="Kind" field="outcome-kind" value={form.kind} choices={choicesOf(OUTCOME_KIND_LABELS)} emptyLabel={null} onChange={(kind) => kind && setForm({ ...form, kind })} />
        <ChoiceField label="Result" field="outcome-result" value={form.result} choices={choicesOf(OUTCOME_RESULT_LABELS)} emptyLabel={null} onChange={(result) => result && setForm({ ...form, result })} />
        <DateField label="Date" field="outcome-date" value={form.date} onChange={(date) => setForm({ ...form, date })} />
      </div>
      <TextArea label="Note" field="outcome-note" value={form.note} rows={2} onChange={(note) => setForm({ ...form, note })} />
      <button type="submit">Record the outcome</button>
    </form>
  );
}

/** Concord's proposed verdict with the rules that fired, the reader's decision, and closing the loop. */
export function ConcordanceBlock({ report, content, locked }: { report: Report; content: ReportContent; locked: boolean }): ReactElement {
  const edit = useReport((state) => state.edit);
  const concordance = content.concordance;
  // From the working copy, not the last server answer: the mark follows the verdict as it is confirmed.
  const outstanding = concordance.confirmed === 'major' && report.communication === null;
  const set = (change: Partial<ReportContent['concordance']>): void => edit((current) => ({ ...current, concordance: { ...current.concordance, ...change } }));
  const major = (concordance.confirmed ?? concordance.proposed) === 'major';
  return (
    <section className="concordance" aria-label="Concordance">
      <div className="verdict-line">
        <span className="muted">Proposed:</span>
        <strong className={`verdict verdict-${concordance.proposed}`} data-proposed-verdict={concordance.proposed}>
          {VERDICT_LABELS[concordance.proposed]}
        </strong>
        {concordance.confirmed && (
          <>
            <span className="muted">Confirmed:</span>
            <strong className={`verdict verdict-${concordance.confirmed}`} data-confirmed-verdict={concordance.confirmed}>
              {VERDICT_LABELS[concordance.confirmed]}
            </strong>
          </>
        )}
        {outstanding && (
          <span className="outstanding" data-outstanding role="status">
            Communication outstanding
          </span>
        )}
      </div>
      {concordance.rules.length > 0 && (
        <ul className="rules" aria-label="Rules that fired">
          {concordance.rules.map((rule, index) => (
            <li key={`${rule.rule}/${rule.scope}/${index}`} data-rule={rule.rule} className={`severity-${rule.severity}`}>
              <span className="rule-tag">{rule.severity}</span> <span className="mono">{rule.rule}</span> <span className="muted">({rule.scope})</span>: {rule.message}
            </li>
          ))}
        </ul>
      )}
      {!locked && concordance.proposed !== 'indeterminate' && concordance.confirmed !== concordance.proposed && (
        <button type="button" className="primary" onClick={() => set({ confirmed: concordance.proposed as 'concordant' | 'minor' | 'major' })}>
          Confirm: {VERDICT_LABELS[concordance.proposed]}
        </button>
      )}
      <div className="form-grid">
        <ChoiceField label="Verdict (confirm or change)" wide field="confirmed-verdict" value={concordance.confirmed} choices={CONFIRMED_CHOICES} emptyLabel="not confirmed" disabled={locked} onChange={(confirmed) => set({ confirmed })} />
        <ChoiceField label="RADPEER (optional)" wide field="radpeer" value={concordance.radpeer} choices={choicesOf(RADPEER_LABELS)} disabled={locked} onChange={(radpeer) => set({ radpeer })} />
      </div>
      <TextArea label="Reason" field="concordance-reason" value={concordance.reason} rows={2} disabled={locked} onChange={(reason) => set({ reason })} />

      {major && (
        <section className="closing-loop" aria-label="Communication">
          <h3>Communication to the referring physician</h3>
          {report.communication ? (
            <p data-communication>
              {report.communication.how} to {report.communication.to} on {report.communication.at} by {report.communication.by}
              {report.communication.note ? `: ${report.communication.note}` : ''}
            </p>
          ) : (
            <CommunicationForm />
          )}
        </section>
      )}
      <section className="outcomes" aria-label="Outcomes">
        <h3>Outcomes</h3>
        {report.outcomes.length === 0 && <p className="note">None recorded.</p>}
        <ul>
          {report.outcomes.map((outcome, index) => (
            <li key={index} data-outcome={outcome.findingId ?? 'case'}>
              {outcome.findingId ?? 'whole case'}: {OUTCOME_KIND_LABELS[outcome.kind]}, {OUTCOME_RESULT_LABELS[outcome.result]} {formatDicomDate(outcome.date)}
              {outcome.supports && <span className="badge"> {SUPPORT_LABELS[outcome.supports]}</span>}
              {outcome.note && <span className="muted"> · {outcome.note}</span>}
            </li>
          ))}
        </ul>
        <OutcomeForm content={content} />
      </section>
    </section>
  );
}

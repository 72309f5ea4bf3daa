import { useEffect, useId, useState } from 'react';
import type { ReactElement } from 'react';
import { BIRADS_CATEGORIES, BIRADS_LABELS, BREAST_COMPOSITIONS } from '../../../../shared/reports/birads.ts';
import type { BiradsCategory, BreastComposition } from '../../../../shared/reports/birads.ts';
import { checkDateText, checkNumberText, localToday } from '../../../../shared/reports/draft-checks.ts';
import type { NumberRule } from '../../../../shared/reports/draft-checks.ts';
import { formatDicomDate } from '../../ui/format.ts';
import { useReport } from './report-store.ts';

/**
 * The pane's form controls: each a label and one control, controlled by the report store. Values the
 * reader types are shown as text only; nothing is interpreted as markup.
 */

interface Common {
  label: string;
  disabled?: boolean;
  /** A stable hook for tests and the screen reader: data-field on the control. */
  field: string;
}

export function TextField({ label, value, onChange, disabled, field, maxLength = 200 }: Common & { value: string; onChange(value: string): void; maxLength?: number }): ReactElement {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="text" data-field={field} value={value} maxLength={maxLength} disabled={disabled} onChange={(event) => onChange(event.target.value)} />
    </div>
  );
}

export function TextArea({ label, value, onChange, disabled, field, rows = 3 }: Common & { value: string; onChange(value: string): void; rows?: number }): ReactElement {
  const id = useId();
  return (
    <div className="field wide">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} data-field={field} value={value} rows={rows} maxLength={20000} disabled={disabled} onChange={(event) => onChange(event.target.value)} />
    </div>
  );
}

export interface Choice<T extends string> {
  value: T;
  label: string;
  /** The whole wording where the label is shortened: the option's and the select's title. */
  description?: string;
}

/** A choice of fixed values; the empty entry stands for "not recorded" (null). */
export function ChoiceField<T extends string>({
  label,
  value,
  choices,
  onChange,
  disabled,
  field,
  emptyLabel = '—',
  wide = false,
  warning,
}: Common & { value: T | null; choices: readonly Choice<T>[]; onChange(value: T | null): void; emptyLabel?: string | null; wide?: boolean; warning?: string | null }): ReactElement {
  const id = useId();
  return (
    <div className={wide ? 'field wide' : 'field'}>
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        data-field={field}
        value={value ?? ''}
        disabled={disabled}
        title={((choice) => choice?.description ?? choice?.label)(choices.find((choice) => choice.value === value))}
        aria-describedby={warning ? `${id}-note` : undefined}
        onChange={(event) => onChange(event.target.value === '' ? null : (event.target.value as T))}
      >
        {emptyLabel !== null && <option value="">{emptyLabel}</option>}
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value} title={choice.description}>
            {choice.label}
          </option>
        ))}
      </select>
      <FieldNote id={`${id}-note`} problem={null} warning={warning} />
    </div>
  );
}

/** Short enough for a narrow select: the full label is the select's title. */
const SHORT_CATEGORY_LABELS: Record<BiradsCategory, string> = {
  '0': 'incomplete',
  '1': 'negative',
  '2': 'benign',
  '3': 'probably benign',
  '4': 'suspicious',
  '4A': 'low suspicion',
  '4B': 'moderate susp.',
  '4C': 'high suspicion',
  '5': 'highly suggestive',
  '6': 'known cancer',
};

export const CATEGORY_CHOICES: Choice<BiradsCategory>[] = BIRADS_CATEGORIES.map((category) => ({
  value: category,
  label: `${category} ${SHORT_CATEGORY_LABELS[category]}`,
  description: `BI-RADS ${category}: ${BIRADS_LABELS[category]}`,
}));
/** Breast MRI does not subdivide category 4. */
export const MRI_CATEGORY_CHOICES = CATEGORY_CHOICES.filter((choice) => !/^4[ABC]$/.test(choice.value));
export const COMPOSITION_CHOICES: Choice<BreastComposition>[] = BREAST_COMPOSITIONS.map((letter) => ({ value: letter, label: letter }));

export function choicesOf<T extends string>(labels: Record<T, string>): Choice<T>[] {
  return (Object.entries(labels) as [T, string][]).map(([value, label]) => ({ value, label }));
}

/** A field's problem (it blocks signing) or warning, beside it; read by the screen reader with the field. */
function FieldNote({ id, problem, warning }: { id: string; problem: string | null; warning?: string | null }): ReactElement | null {
  if (!problem && !warning) {
    return null;
  }
  return (
    <span id={id} className={problem ? 'field-problem' : 'field-warning'} role="status" data-field-note={problem ? 'invalid' : 'warning'}>
      {problem ?? warning}
    </span>
  );
}

/**
 * The text the draft keeps for a field whose typed value did not pass its check, and the setter: what
 * the reader typed is stored as typed, so it survives a reload and blocks signing until resolved.
 */
function useKeptEntry(entryKey: string | undefined): [string | undefined, (typed: string | null) => void] {
  const kept = useReport((state) => (entryKey ? state.content?.invalidEntries?.[entryKey] : undefined));
  const setEntry = useReport((state) => state.setEntry);
  return [kept, (typed) => entryKey && setEntry(entryKey, typed)];
}

/**
 * A number field that keeps what the reader types (a decimal comma reads as a point) and passes on a
 * number only when it is one within the rule's bounds, null otherwise; why not is shown beside it, and
 * with `entryKey` the typed text is kept in the draft.
 */
export function NumberField({
  label,
  value,
  onChange,
  disabled,
  field,
  rule,
  entryKey,
  warning,
}: Common & { value: number | null; onChange(value: number | null): void; rule: NumberRule; entryKey?: string; warning?: string | null }): ReactElement {
  const id = useId();
  const [kept, keep] = useKeptEntry(entryKey);
  const [text, setText] = useState(kept ?? (value === null ? '' : String(value)));
  // A value changed elsewhere (the saved version taken, recovered edits restored) replaces the text.
  useEffect(() => {
    setText((current) =>
      checkNumberText(current, rule).value === value && (kept === undefined || current === kept) ? current : (kept ?? (value === null ? '' : String(value))),
    );
  }, [value, kept, rule]);
  const problem = checkNumberText(text, rule).problem;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        inputMode="decimal"
        data-field={field}
        value={text}
        disabled={disabled}
        aria-invalid={problem !== null}
        aria-describedby={problem || warning ? `${id}-note` : undefined}
        onChange={(event) => {
          const typed = event.target.value;
          const checked = checkNumberText(typed, rule);
          setText(typed);
          onChange(checked.value);
          keep(checked.problem ? typed : null);
        }}
      />
      <FieldNote id={`${id}-note`} problem={problem} warning={warning} />
    </div>
  );
}

/** Yes, no or not known (null). */
export function TriState({ label, value, onChange, disabled, field }: Common & { value: boolean | null; onChange(value: boolean | null): void }): ReactElement {
  return (
    <ChoiceField
      label={label}
      field={field}
      disabled={disabled}
      value={value === null ? null : value ? 'yes' : 'no'}
      choices={[
        { value: 'yes', label: 'yes' },
        { value: 'no', label: 'no' },
      ]}
      emptyLabel="not known"
      onChange={(choice) => onChange(choice === null ? null : choice === 'yes')}
    />
  );
}

/**
 * A DICOM date (YYYYMMDD, or empty) edited with the browser's date control. A date that is not
 * plausible (a 5-digit year, a day after today) stays in the control with the reason beside it, is not
 * stored as the date, and with `entryKey` is kept in the draft as typed.
 */
export function DateField({ label, value, onChange, disabled, field, entryKey }: Common & { value: string; onChange(value: string): void; entryKey?: string }): ReactElement {
  const id = useId();
  const [kept, keep] = useKeptEntry(entryKey);
  const [typed, setTyped] = useState<{ text: string; incomplete: boolean } | null>(null);
  const text = kept ?? typed?.text ?? (/^\d{8}$/.test(value) ? formatDicomDate(value) : '');
  const checked = checkDateText(text, localToday());
  const problem = typed?.incomplete ? 'incomplete date: not taken' : checked.problem ? (kept !== undefined ? `"${kept}": ${checked.problem}` : checked.problem) : null;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="date"
        data-field={field}
        value={text}
        disabled={disabled}
        aria-invalid={problem !== null}
        aria-describedby={problem ? `${id}-note` : undefined}
        onChange={(event) => {
          const next = event.target.value;
          const result = checkDateText(next, localToday());
          setTyped({ text: next, incomplete: next === '' && event.target.validity.badInput });
          onChange(result.value);
          keep(result.problem ? next : null);
        }}
        onBlur={() => setTyped(null)}
      />
      <FieldNote id={`${id}-note`} problem={problem} />
    </div>
  );
}

interface RegionText {
  region: string;
  text: string;
}

/** Findings by region (general MRI, the outside MRI report): a region name and its text, as many as needed. */
export function RegionList({ label, regions, onChange, disabled, field }: Common & { regions: RegionText[]; onChange(regions: RegionText[]): void }): ReactElement {
  const replace = (index: number, next: RegionText | null): void => onChange(regions.flatMap((region, position) => (position !== index ? [region] : next ? [next] : [])));
  return (
    <fieldset className="regions" data-field={field}>
      <legend>{label}</legend>
      {regions.map((region, index) => (
        <div key={index} className="region-row">
          <TextField label="Region" field={`${field}-name`} value={region.region} disabled={disabled} onChange={(name) => replace(index, { ...region, region: name })} />
          <TextArea label="Findings" field={`${field}-text`} value={region.text} rows={2} disabled={disabled} onChange={(text) => replace(index, { ...region, text })} />
          {!disabled && (
            <button type="button" className="small" onClick={() => replace(index, null)}>
              Remove
            </button>
          )}
        </div>
      ))}
      {!disabled && regions.length < 40 && (
        <button type="button" className="small" onClick={() => onChange([...regions, { region: '', text: '' }])}>
          Add region
        </button>
      )}
    </fieldset>
  );
}

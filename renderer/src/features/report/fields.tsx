import { useEffect, useId, useState } from 'react';
import type { ReactElement } from 'react';
import { BIRADS_CATEGORIES, BIRADS_LABELS, BREAST_COMPOSITIONS } from '../../../../shared/reports/birads.ts';
import type { BiradsCategory, BreastComposition } from '../../../../shared/reports/birads.ts';
import { parseBoundedNumber } from './content-edits.ts';

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
}: Common & { value: T | null; choices: readonly Choice<T>[]; onChange(value: T | null): void; emptyLabel?: string | null; wide?: boolean }): ReactElement {
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
        onChange={(event) => onChange(event.target.value === '' ? null : (event.target.value as T))}
      >
        {emptyLabel !== null && <option value="">{emptyLabel}</option>}
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value} title={choice.description}>
            {choice.label}
          </option>
        ))}
      </select>
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

/**
 * A number field that keeps what the reader types (also half-typed "4." or an out-of-range value) and
 * passes on a number only when it is one within the bounds, null otherwise.
 */
export function NumberField({
  label,
  value,
  onChange,
  disabled,
  field,
  min,
  max,
}: Common & { value: number | null; onChange(value: number | null): void; min: number; max: number }): ReactElement {
  const id = useId();
  const [text, setText] = useState(value === null ? '' : String(value));
  useEffect(() => {
    setText((current) => (parseBoundedNumber(current, min, max) === value ? current : value === null ? '' : String(value)));
  }, [value, min, max]);
  const invalid = text.trim() !== '' && parseBoundedNumber(text, min, max) === null;
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
        aria-invalid={invalid}
        title={invalid ? `a number from ${min} to ${max}` : undefined}
        onChange={(event) => {
          setText(event.target.value);
          onChange(parseBoundedNumber(event.target.value, min, max));
        }}
      />
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

/** A DICOM date (YYYYMMDD, or empty) edited with the browser's date control. */
export function DateField({ label, value, onChange, disabled, field }: Common & { value: string; onChange(value: string): void }): ReactElement {
  const id = useId();
  const shown = /^\d{8}$/.test(value) ? `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6)}` : '';
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="date" data-field={field} value={shown} disabled={disabled} onChange={(event) => onChange(event.target.value.replaceAll('-', ''))} />
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

import { useState } from 'react';
import type { ReactElement } from 'react';
import {
  FINDING_KINDS_BY_MODALITY,
  FINDING_KIND_LABELS,
  KINETIC_DELAYED_LABELS,
  KINETIC_INITIAL_LABELS,
  LOCATION_LABELS,
  associatedFeaturesFor,
  descriptorsFor,
} from '../../../../shared/reports/lexicon.ts';
import type { Modality } from '../../../../shared/reports/lexicon.ts';
import { CLOCK_RULE, DISTANCE_RULE, SIZE_RULE, clockQuadrantConflict, entryKeys } from '../../../../shared/reports/draft-checks.ts';
import { findingDescription } from '../../../../shared/reports/narrative.ts';
import type { ReportFinding } from '../../../../shared/reports/report-model.ts';
import { withKind } from './content-edits.ts';
import { CATEGORY_CHOICES, ChoiceField, MRI_CATEGORY_CHOICES, NumberField, TextArea, choicesOf } from './fields.tsx';
import { annotationsOnActiveImage } from './key-image.ts';
import type { ImageAnnotation } from './key-image.ts';

const CHANGE_LABELS = { new: 'new', larger: 'larger', smaller: 'smaller', stable: 'stable', 'not-compared': 'not compared' } as const;

interface Props {
  finding: ReportFinding;
  modality: Modality;
  locked: boolean;
  onChange(finding: ReportFinding): void;
  onRemove(): void;
}

/** Links the finding to a measurement or annotation drawn on the active viewport's image. */
function AnnotationLinker({ finding, onChange }: { finding: ReportFinding; onChange(finding: ReportFinding): void }): ReactElement {
  const [found, setFound] = useState<ImageAnnotation[] | null>(null);
  const linked = new Set(finding.images.map((image) => image.annotationUid));
  return (
    <div className="annotation-linker">
      <button type="button" className="small" onClick={() => setFound(annotationsOnActiveImage())}>
        Link a measurement on the active image…
      </button>
      {found !== null && found.length === 0 && <span className="note"> No measurement or annotation on the active image: draw one with Length, Ellipse, … first.</span>}
      {found?.map((entry) => (
        <button
          key={entry.annotationUid}
          type="button"
          className="small"
          disabled={linked.has(entry.annotationUid) || finding.images.length >= 20}
          onClick={() =>
            onChange({
              ...finding,
              images: [...finding.images, { sopInstanceUid: entry.sopInstanceUid, frame: entry.frame, annotationUid: entry.annotationUid, caption: `${entry.tool} for finding ${finding.id}` }],
            })
          }
        >
          {entry.tool} {entry.annotationUid.slice(0, 8)}
        </button>
      ))}
    </div>
  );
}

/** One structured finding: only the lexicon's descriptors that apply to its kind are offered. */
export function FindingEditor({ finding, modality, locked, onChange, onRemove }: Props): ReactElement {
  const descriptors = descriptorsFor(modality, finding.kind);
  const features = associatedFeaturesFor(modality);
  const location = finding.location;
  const setLocation = (change: Partial<ReportFinding['location']>): void => onChange({ ...finding, location: { ...location, ...change } });
  // Shown beside the clock face and the quadrant; signing lists it too (draft-checks.ts).
  const locationConflict = clockQuadrantConflict(location.laterality, location.clock, location.quadrant);
  const kinds = FINDING_KINDS_BY_MODALITY[modality].map((kind) => ({ value: kind, label: FINDING_KIND_LABELS[kind] }));
  return (
    <fieldset className="finding" data-finding={finding.id}>
      <legend>
        {finding.id}: {findingDescription(modality, finding)}
      </legend>
      <div className="form-grid">
        <ChoiceField
          label="Kind"
          field="finding-kind"
          value={finding.kind}
          choices={kinds}
          emptyLabel={null}
          disabled={locked}
          onChange={(kind) => kind && onChange(withKind(finding, kind, descriptorsFor(modality, kind).map((definition) => definition.code)))}
        />
        {descriptors.map((definition) => (
          <ChoiceField
            key={definition.code}
            label={definition.label}
            field={`descriptor-${definition.code}`}
            value={finding.descriptors[definition.code] ?? null}
            choices={definition.terms.map((term) => ({ value: term.code, label: term.label }))}
            disabled={locked}
            onChange={(term) => {
              const next = { ...finding.descriptors };
              if (term === null) {
                delete next[definition.code];
              } else {
                next[definition.code] = term;
              }
              onChange({ ...finding, descriptors: next });
            }}
          />
        ))}
        <ChoiceField label="Side" field="finding-side" value={location.laterality} choices={choicesOf(LOCATION_LABELS.laterality)} emptyLabel={null} disabled={locked} onChange={(laterality) => laterality && setLocation({ laterality })} />
        <NumberField
          label="Clock (1-12)"
          field="finding-clock"
          value={location.clock}
          rule={CLOCK_RULE}
          entryKey={entryKeys.finding(finding.id, 'clock')}
          warning={locationConflict}
          disabled={locked}
          onChange={(clock) => setLocation({ clock })}
        />
        <ChoiceField
          label="Quadrant"
          field="finding-quadrant"
          value={location.quadrant}
          choices={choicesOf(LOCATION_LABELS.quadrant)}
          warning={locationConflict}
          disabled={locked}
          onChange={(quadrant) => setLocation({ quadrant })}
        />
        <ChoiceField label="Depth" field="finding-depth" value={location.depth} choices={choicesOf(LOCATION_LABELS.depth)} disabled={locked} onChange={(depth) => setLocation({ depth })} />
        <NumberField
          label="From nipple (cm)"
          field="finding-distance"
          value={location.distanceFromNippleCm}
          rule={DISTANCE_RULE}
          entryKey={entryKeys.finding(finding.id, 'distanceFromNippleCm')}
          disabled={locked}
          onChange={(distanceFromNippleCm) => setLocation({ distanceFromNippleCm })}
        />
        <NumberField
          label="Size (mm)"
          field="finding-size"
          value={finding.sizeMm}
          rule={SIZE_RULE}
          entryKey={entryKeys.finding(finding.id, 'sizeMm')}
          disabled={locked}
          onChange={(sizeMm) => onChange({ ...finding, sizeMm })}
        />
        <ChoiceField label="Change vs prior" field="finding-change" value={finding.change} choices={choicesOf(CHANGE_LABELS)} disabled={locked} onChange={(change) => onChange({ ...finding, change })} />
        {modality === 'mri' && (
          <>
            <ChoiceField
              label="Kinetics, initial"
              field="finding-kinetics-initial"
              value={finding.kinetics?.initial ?? null}
              choices={choicesOf(KINETIC_INITIAL_LABELS)}
              disabled={locked}
              onChange={(initial) => onChange({ ...finding, kinetics: { initial, delayed: finding.kinetics?.delayed ?? null } })}
            />
            <ChoiceField
              label="Kinetics, delayed"
              field="finding-kinetics-delayed"
              value={finding.kinetics?.delayed ?? null}
              choices={choicesOf(KINETIC_DELAYED_LABELS)}
              disabled={locked}
              onChange={(delayed) => onChange({ ...finding, kinetics: { initial: finding.kinetics?.initial ?? null, delayed } })}
            />
          </>
        )}
        <ChoiceField
          label="BI-RADS"
          field="finding-assessment"
          value={finding.assessment}
          choices={modality === 'mri' ? MRI_CATEGORY_CHOICES : CATEGORY_CHOICES}
          disabled={locked}
          onChange={(assessment) => onChange({ ...finding, assessment })}
        />
      </div>
      <details className="features">
        <summary>Associated features ({finding.associatedFeatures.length})</summary>
        <div className="checks">
          {features.map((feature) => (
            <label key={feature.code}>
              <input
                type="checkbox"
                disabled={locked}
                checked={finding.associatedFeatures.includes(feature.code)}
                onChange={(event) =>
                  onChange({
                    ...finding,
                    associatedFeatures: event.target.checked
                      ? [...finding.associatedFeatures, feature.code]
                      : finding.associatedFeatures.filter((code) => code !== feature.code),
                  })
                }
              />
              {feature.label}
            </label>
          ))}
        </div>
      </details>
      <TextArea label="Note" field="finding-note" value={finding.note} rows={2} disabled={locked} onChange={(note) => onChange({ ...finding, note })} />
      {finding.images.length > 0 && (
        <ul className="image-links" aria-label="Linked images">
          {finding.images.map((image, index) => (
            <li key={`${image.sopInstanceUid}/${image.annotationUid ?? index}`}>
              <span>{image.caption}</span> <span className="mono muted">{image.sopInstanceUid}{image.frame ? ` frame ${image.frame}` : ''}</span>
              {!locked && (
                <button type="button" className="link" onClick={() => onChange({ ...finding, images: finding.images.filter((_, position) => position !== index) })}>
                  unlink
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {!locked && (
        <div className="row">
          <AnnotationLinker finding={finding} onChange={onChange} />
          <button type="button" className="small danger" onClick={onRemove}>
            Remove finding
          </button>
        </div>
      )}
    </fieldset>
  );
}

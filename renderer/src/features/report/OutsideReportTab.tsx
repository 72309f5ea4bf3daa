import type { ReactElement } from 'react';
import { FINDING_KINDS } from '../../../../shared/reports/concordance.ts';
import type { FindingFact, ReadingFacts } from '../../../../shared/reports/concordance.ts';
import { CLOCK_RULE, EXTENT_RULE, SIZE_RULE, entryKeys } from '../../../../shared/reports/draft-checks.ts';
import { FINDING_KIND_LABELS } from '../../../../shared/reports/lexicon.ts';
import type { OutsideReport, ReportContent } from '../../../../shared/reports/report-model.ts';
import { formatHeaderText } from '../../../../shared/dicom/display-text.ts';
import { formatDicomDate } from '../../ui/format.ts';
import { DocumentView } from '../viewer/DocumentView.tsx';
import { nextFindingId } from './content-edits.ts';
import { ScannedPage } from './ScannedPage.tsx';
import { CATEGORY_CHOICES, COMPOSITION_CHOICES, ChoiceField, DateField, NumberField, RegionList, TextArea, TextField, TriState } from './fields.tsx';
import { useReport } from './report-store.ts';

const KIND_CHOICES = FINDING_KINDS.map((kind) => ({ value: kind, label: FINDING_KIND_LABELS[kind] }));
const SIDE_CHOICES = [
  { value: 'R', label: 'right' },
  { value: 'L', label: 'left' },
] as const;

/** The report documents that came on the media, opened with the viewer's own document views. */
export function OutsideDocuments(): ReactElement {
  const documents = useReport((state) => state.outsideDocuments);
  const open = useReport((state) => state.openDocument);
  const setOpen = useReport((state) => state.setOpenDocument);
  const study = useReport((state) => state.study);
  if (documents.length === 0) {
    return <p className="note">No report document came on the media with this study: record the outside report's facts from the paper or letter.</p>;
  }
  const shown = documents.find((document) => document.sopInstanceUid === open) ?? null;
  const series = shown ? study?.series.find((candidate) => candidate.instances.some((instance) => instance.sopInstanceUid === shown.sopInstanceUid)) : undefined;
  const instance = series?.instances.find((candidate) => candidate.sopInstanceUid === shown?.sopInstanceUid);
  return (
    <section className="outside-documents" aria-label="Outside report documents">
      <div className="document-choices" role="tablist">
        {documents.map((document) => (
          <button
            key={document.sopInstanceUid}
            type="button"
            role="tab"
            aria-selected={document.sopInstanceUid === open}
            className={document.sopInstanceUid === open ? 'tool active' : 'tool'}
            data-outside-document={document.sopInstanceUid}
            onClick={() => setOpen(document.sopInstanceUid === open ? null : document.sopInstanceUid)}
            title={`${document.kind}: ${formatHeaderText(document.seriesDescription)}`}
          >
            {formatHeaderText(document.title) || formatHeaderText(document.seriesDescription) || document.kind} {formatDicomDate(document.contentDate)}
          </button>
        ))}
      </div>
      {shown && shown.kind === 'scanned-image' && series && (
        <div className="outside-document">
          <ScannedPage series={series} sopInstanceUid={shown.sopInstanceUid} />
        </div>
      )}
      {shown && shown.kind !== 'scanned-image' && series && instance && (
        <div className="outside-document">
          <DocumentView key={instance.sopInstanceUid} series={series} instance={instance} />
        </div>
      )}
    </section>
  );
}

function FindingRow({ finding, onChange, onRemove, disabled }: { finding: FindingFact; onChange(next: FindingFact): void; onRemove(): void; disabled: boolean }): ReactElement {
  return (
    <fieldset className="finding-fact" data-outside-finding={finding.id}>
      <legend>Finding {finding.id}</legend>
      <ChoiceField label="Kind" field="outside-finding-kind" value={finding.kind} choices={KIND_CHOICES} emptyLabel={null} disabled={disabled} onChange={(kind) => kind && onChange({ ...finding, kind })} />
      <ChoiceField label="Side" field="outside-finding-side" value={finding.laterality} choices={SIDE_CHOICES} emptyLabel={null} disabled={disabled} onChange={(side) => side && onChange({ ...finding, laterality: side })} />
      <NumberField
        label="Clock"
        field="outside-finding-clock"
        value={finding.clock}
        rule={CLOCK_RULE}
        entryKey={entryKeys.outsideFinding(finding.id, 'clock')}
        disabled={disabled}
        onChange={(clock) => onChange({ ...finding, clock })}
      />
      <NumberField
        label="Size (mm)"
        field="outside-finding-size"
        value={finding.sizeMm}
        rule={SIZE_RULE}
        entryKey={entryKeys.outsideFinding(finding.id, 'sizeMm')}
        disabled={disabled}
        onChange={(sizeMm) => onChange({ ...finding, sizeMm })}
      />
      <ChoiceField label="BI-RADS" field="outside-finding-assessment" value={finding.assessment} choices={CATEGORY_CHOICES} disabled={disabled} onChange={(assessment) => onChange({ ...finding, assessment })} />
      {!disabled && (
        <button type="button" className="small" onClick={onRemove}>
          Remove
        </button>
      )}
    </fieldset>
  );
}

/** The form for the outside report's key facts. */
export function OutsideReportTab({ content, locked }: { content: ReportContent; locked: boolean }): ReactElement {
  const edit = useReport((state) => state.edit);
  const openDocument = useReport((state) => state.openDocument);
  const outside = content.outside;
  const isMri = content.secondOpinion.template !== 'birads-mammography';
  const setOutside = (change: Partial<OutsideReport>): void => edit((current) => ({ ...current, outside: { ...current.outside, ...change } }));
  const setFacts = (change: Partial<ReadingFacts>): void => edit((current) => ({ ...current, outside: { ...current.outside, facts: { ...current.outside.facts, ...change } } }));
  const findings = outside.facts.findings;
  const setFinding = (index: number, next: FindingFact | null): void =>
    setFacts({ findings: (findings ?? []).flatMap((finding, position) => (position !== index ? [finding] : next ? [next] : [])) });

  return (
    <div className="tab-body outside-tab">
      <OutsideDocuments />
      <section aria-label="Outside report facts" className="form-grid">
        <TextField label="Facility" field="outside-facility" value={outside.facility} disabled={locked} onChange={(facility) => setOutside({ facility })} />
        <TextField label="Reader" field="outside-reader" value={outside.reader} disabled={locked} onChange={(reader) => setOutside({ reader })} />
        <DateField label="Report date" field="outside-date" value={outside.date} entryKey={entryKeys.outsideDate} disabled={locked} onChange={(date) => setOutside({ date })} />
        <ChoiceField label="Overall BI-RADS" field="outside-overall" value={outside.facts.overall} choices={CATEGORY_CHOICES} disabled={locked} onChange={(overall) => setFacts({ overall })} />
        <ChoiceField label="Right breast" field="outside-right" value={outside.facts.right} choices={CATEGORY_CHOICES} disabled={locked} onChange={(right) => setFacts({ right })} />
        <ChoiceField label="Left breast" field="outside-left" value={outside.facts.left} choices={CATEGORY_CHOICES} disabled={locked} onChange={(left) => setFacts({ left })} />
        <ChoiceField label="Composition" field="outside-composition" value={outside.facts.composition} choices={COMPOSITION_CHOICES} disabled={locked} onChange={(composition) => setFacts({ composition })} />
        <NumberField
          label="Extent (cm)"
          field="outside-extent"
          value={outside.facts.extentCm}
          rule={EXTENT_RULE}
          entryKey={entryKeys.outsideExtent}
          disabled={locked}
          onChange={(extentCm) => setFacts({ extentCm })}
        />
        <TriState label="Priors available to the outside reader" field="outside-priors" value={outside.facts.priorsAvailable} disabled={locked} onChange={(priorsAvailable) => setFacts({ priorsAvailable })} />
      </section>
      <section aria-label="Outside findings">
        <h3>Findings</h3>
        {findings === null ? (
          <p className="note">Not recorded: concordance compares the categories only.</p>
        ) : findings.length === 0 ? (
          <p className="note">The outside report describes no finding.</p>
        ) : (
          findings.map((finding, index) => (
            <FindingRow key={finding.id} finding={finding} disabled={locked} onChange={(next) => setFinding(index, next)} onRemove={() => setFinding(index, null)} />
          ))
        )}
        {!locked && (
          <div className="row">
            <button
              type="button"
              // The schema's bound: one finding more would make every later save fail.
              disabled={(findings ?? []).length >= 100}
              onClick={() =>
                setFacts({ findings: [...(findings ?? []), { id: nextFindingId(findings ?? []), laterality: 'R', kind: 'mass', clock: null, sizeMm: null, assessment: null }] })
              }
            >
              Add outside finding
            </button>
            {findings !== null && findings.length === 0 && (
              <button type="button" onClick={() => setFacts({ findings: null })}>
                Findings not recorded
              </button>
            )}
            {findings === null && (
              <button type="button" onClick={() => setFacts({ findings: [] })}>
                No findings described
              </button>
            )}
          </div>
        )}
      </section>
      <TextArea label="Recommendation" field="outside-recommendation" value={outside.recommendation} disabled={locked} onChange={(recommendation) => setOutside({ recommendation })} />
      {isMri && (
        <>
          <TextArea label="Impression" field="outside-impression" value={outside.impression} disabled={locked} onChange={(impression) => setOutside({ impression })} />
          <RegionList label="Key findings by region" field="outside-region" regions={outside.findingsByRegion} disabled={locked} onChange={(findingsByRegion) => setOutside({ findingsByRegion })} />
        </>
      )}
      <TextArea label="Free text" field="outside-free-text" value={outside.freeText} rows={4} disabled={locked} onChange={(freeText) => setOutside({ freeText })} />
      {!locked && outside.sourceDocumentUid === null && openDocument && (
        <button type="button" className="small" onClick={() => setOutside({ sourceDocumentUid: openDocument })}>
          Link the open document as the source of these facts
        </button>
      )}
      {outside.sourceDocumentUid !== null && <p className="note">Source document: <span className="mono">{outside.sourceDocumentUid}</span></p>}
    </div>
  );
}

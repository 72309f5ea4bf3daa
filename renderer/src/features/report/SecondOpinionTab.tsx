import { useState } from 'react';
import type { ReactElement } from 'react';
import { EXTENT_RULE, entryKeys } from '../../../../shared/reports/draft-checks.ts';
import { BACKGROUND_ENHANCEMENT_LABELS, FIBROGLANDULAR_TISSUE_LABELS, FINDING_KINDS_BY_MODALITY, modalityOfTemplate } from '../../../../shared/reports/lexicon.ts';
import { narrativeWarnings } from '../../../../shared/reports/narrative.ts';
import type { ReportContent, ReportFinding, ReportTemplate, SecondOpinion } from '../../../../shared/reports/report-model.ts';
import { emptyFinding, nextFindingId, suggestedRecommendation } from './content-edits.ts';
import { CATEGORY_CHOICES, COMPOSITION_CHOICES, ChoiceField, MRI_CATEGORY_CHOICES, NumberField, RegionList, TextArea, TriState, choicesOf } from './fields.tsx';
import { FindingEditor } from './FindingEditor.tsx';
import { captureActiveViewport } from './key-image.ts';
import { useReport } from './report-store.ts';

export const TEMPLATE_LABELS: Record<ReportTemplate, string> = {
  'birads-mammography': 'BI-RADS mammography',
  'birads-breast-mri': 'Breast MRI',
  'general-mri': 'General MRI second opinion',
};

/** "Add key image": the active viewport's picture, kept by the server, referenced by the report. */
function KeyImages({ opinion, locked, onChange }: { opinion: SecondOpinion; locked: boolean; onChange(change: Partial<SecondOpinion>): void }): ReactElement {
  const saveKeyImage = useReport((state) => state.saveKeyImage);
  const [problem, setProblem] = useState<string | null>(null);
  const [caption, setCaption] = useState('');
  const add = async (): Promise<void> => {
    const capture = captureActiveViewport();
    if (!capture) {
      setProblem('The active viewport shows no image: click an image viewport first.');
      return;
    }
    const text = caption.trim() || `Key image ${opinion.keyImages.length + 1}`;
    if (await saveKeyImage({ sopInstanceUid: capture.sopInstanceUid, frame: capture.frame, caption: text, pngBase64: capture.pngBase64 })) {
      setProblem(null);
      setCaption('');
      onChange({ keyImages: [...opinion.keyImages, { sopInstanceUid: capture.sopInstanceUid, frame: capture.frame, annotationUid: null, caption: text }] });
    }
  };
  return (
    <section aria-label="Key images" className="key-images">
      <h3>Key images</h3>
      {opinion.keyImages.length === 0 && <p className="note">None yet.</p>}
      <ul>
        {opinion.keyImages.map((image, index) => (
          <li key={`${image.sopInstanceUid}/${image.frame ?? 0}/${index}`} data-key-image={image.sopInstanceUid}>
            <span>{image.caption}</span> <span className="mono muted">{image.sopInstanceUid}{image.frame ? ` frame ${image.frame}` : ''}</span>
            {!locked && (
              <button type="button" className="link" onClick={() => onChange({ keyImages: opinion.keyImages.filter((_, position) => position !== index) })}>
                remove
              </button>
            )}
          </li>
        ))}
      </ul>
      {!locked && opinion.keyImages.length < 40 && (
        <div className="row">
          <input type="text" aria-label="Key image caption" placeholder="Caption" maxLength={200} value={caption} onChange={(event) => setCaption(event.target.value)} />
          <button type="button" onClick={() => void add()}>
            Add key image
          </button>
        </div>
      )}
      {problem && <p className="error">{problem}</p>}
    </section>
  );
}

/** The structured second opinion on one of the three templates, and the narrative generated from it. */
export function SecondOpinionTab({ content, locked }: { content: ReportContent; locked: boolean }): ReactElement {
  const edit = useReport((state) => state.edit);
  const regenerate = useReport((state) => state.regenerate);
  const opinion = content.secondOpinion;
  const modality = modalityOfTemplate(opinion.template);
  const general = opinion.template === 'general-mri';
  const categories = modality === 'mammography' ? CATEGORY_CHOICES : MRI_CATEGORY_CHOICES;
  const set = (change: Partial<SecondOpinion>): void => edit((current) => ({ ...current, secondOpinion: { ...current.secondOpinion, ...change } }));
  const setAssessment = (change: Partial<SecondOpinion['assessment']>): void => set({ assessment: { ...opinion.assessment, ...change } });
  const setFinding = (index: number, next: ReportFinding | null): void =>
    set({ findings: opinion.findings.flatMap((finding, position) => (position !== index ? [finding] : next ? [next] : [])) });
  const suggestion = suggestedRecommendation(opinion);
  const warnings = narrativeWarnings(opinion);

  return (
    <div className="tab-body second-opinion-tab">
      <div className="form-grid">
        <ChoiceField
          label="Template"
          field="template"
          value={opinion.template}
          choices={choicesOf(TEMPLATE_LABELS)}
          emptyLabel={null}
          disabled={locked}
          onChange={(template) => template && set({ template })}
        />
        <TriState label="Priors compared" field="priors-available" value={opinion.priorsAvailable} disabled={locked} onChange={(priorsAvailable) => set({ priorsAvailable })} />
        {modality === 'mammography' && (
          <ChoiceField label="Composition" field="composition" value={opinion.composition} choices={COMPOSITION_CHOICES} disabled={locked} onChange={(composition) => set({ composition })} />
        )}
        {modality === 'mri' && (
          <>
            <ChoiceField
              label="Fibroglandular tissue"
              field="fibroglandular-tissue"
              value={opinion.fibroglandularTissue}
              choices={choicesOf(FIBROGLANDULAR_TISSUE_LABELS)}
              disabled={locked}
              onChange={(fibroglandularTissue) => set({ fibroglandularTissue })}
            />
            <ChoiceField
              label="Background enhancement"
              field="background-enhancement"
              value={opinion.backgroundEnhancement?.level ?? null}
              choices={choicesOf(BACKGROUND_ENHANCEMENT_LABELS)}
              disabled={locked}
              onChange={(level) => set({ backgroundEnhancement: level ? { level, symmetric: opinion.backgroundEnhancement?.symmetric ?? true } : null })}
            />
            {opinion.backgroundEnhancement && (
              <TriState
                label="Symmetric enhancement"
                field="background-symmetric"
                value={opinion.backgroundEnhancement.symmetric}
                disabled={locked}
                onChange={(symmetric) => opinion.backgroundEnhancement && set({ backgroundEnhancement: { ...opinion.backgroundEnhancement, symmetric: symmetric ?? true } })}
              />
            )}
          </>
        )}
        <NumberField
          label="Extent of disease (cm)"
          field="extent"
          value={opinion.extentCm}
          rule={EXTENT_RULE}
          entryKey={entryKeys.extent}
          disabled={locked}
          onChange={(extentCm) => set({ extentCm })}
        />
      </div>
      <TextArea label={general ? 'Clinical question' : 'Reason for examination'} field="clinical-question" value={opinion.clinicalQuestion} rows={2} disabled={locked} onChange={(clinicalQuestion) => set({ clinicalQuestion })} />
      <TextArea label="Technique" field="technique" value={opinion.technique} rows={2} disabled={locked} onChange={(technique) => set({ technique })} />
      <TextArea label="Comparison" field="comparison" value={opinion.comparison} rows={2} disabled={locked} onChange={(comparison) => set({ comparison })} />

      {modality !== null && (
        <section aria-label="Findings" className="findings">
          <h3>Findings</h3>
          {opinion.findings.length === 0 && <p className="note">No finding entered: the report will state none.</p>}
          {opinion.findings.map((finding, index) => (
            <FindingEditor key={finding.id} finding={finding} modality={modality} locked={locked} onChange={(next) => setFinding(index, next)} onRemove={() => setFinding(index, null)} />
          ))}
          {!locked && opinion.findings.length < 100 && (
            <div className="row">
              {(['R', 'L'] as const).map((side) => (
                <button
                  key={side}
                  type="button"
                  onClick={() => set({ findings: [...opinion.findings, emptyFinding(nextFindingId(opinion.findings), FINDING_KINDS_BY_MODALITY[modality][0] ?? 'mass', side)] })}
                >
                  Add finding, {side === 'R' ? 'right' : 'left'}
                </button>
              ))}
            </div>
          )}
        </section>
      )}
      {general && <RegionList label="Findings by region" field="region" regions={opinion.findingsByRegion} disabled={locked} onChange={(findingsByRegion) => set({ findingsByRegion })} />}
      <TextArea label="Impression" field="impression" value={opinion.impression} rows={2} disabled={locked} onChange={(impression) => set({ impression })} />

      <section aria-label="Assessment" className="form-grid">
        <ChoiceField label="Right breast" field="assessment-right" value={opinion.assessment.right} choices={categories} disabled={locked} onChange={(right) => setAssessment({ right })} />
        <ChoiceField label="Left breast" field="assessment-left" value={opinion.assessment.left} choices={categories} disabled={locked} onChange={(left) => setAssessment({ left })} />
        <ChoiceField label="Overall BI-RADS" field="assessment-overall" value={opinion.assessment.overall} choices={categories} disabled={locked} onChange={(overall) => setAssessment({ overall })} />
      </section>
      <TextArea label="Recommendation" field="recommendation" value={opinion.recommendation} rows={2} disabled={locked} onChange={(recommendation) => set({ recommendation })} />
      {!locked && suggestion && opinion.recommendation.trim() !== suggestion && (
        <button type="button" className="small suggestion" onClick={() => set({ recommendation: suggestion })}>
          Use the category's management: {suggestion}
        </button>
      )}

      <section aria-label="Narrative" className="narrative">
        <h3>
          Narrative {opinion.narrativeEdited ? <span className="badge">edited by hand: no longer generated</span> : <span className="badge muted">generated from the entries</span>}
        </h3>
        <textarea
          aria-label="Narrative"
          data-field="narrative"
          rows={12}
          maxLength={20000}
          disabled={locked}
          value={opinion.narrative}
          onChange={(event) => set({ narrative: event.target.value, narrativeEdited: true })}
        />
        {!locked && opinion.narrativeEdited && (
          <button type="button" className="small" onClick={regenerate}>
            Regenerate from the entries (discards the hand edits)
          </button>
        )}
        {warnings.length > 0 && (
          <ul className="warnings" aria-label="Check before signing">
            {warnings.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
        )}
      </section>
      <KeyImages opinion={opinion} locked={locked} onChange={set} />
    </div>
  );
}

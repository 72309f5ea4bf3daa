import type { ReportTemplate } from './report-model.ts';
import type { ReportFinding } from './report-model.ts';

/**
 * The BI-RADS 5th edition lexicon (mammography and breast MRI) as codes and short labels only: the
 * atlas's definitions are copyrighted and stay out of the product. A finding's `descriptors` map a
 * descriptor code (shape, margin, ...) to a term code; this module says which descriptors apply to which
 * finding kind under which template, and how each term reads in a report.
 */

export type FindingKind = ReportFinding['kind'];
export type Modality = 'mammography' | 'mri';

export const MODALITY_LABELS: Record<Modality, string> = { mammography: 'mammography', mri: 'breast MRI' };

export interface LexiconTerm {
  code: string;
  label: string;
}

export interface DescriptorDefinition {
  /** The key in a finding's `descriptors`. */
  code: string;
  label: string;
  terms: readonly LexiconTerm[];
}

function terms(...entries: [string, string][]): LexiconTerm[] {
  return entries.map(([code, label]) => ({ code, label }));
}

const MASS_SHAPE: DescriptorDefinition = { code: 'shape', label: 'Shape', terms: terms(['oval', 'oval'], ['round', 'round'], ['irregular', 'irregular']) };

export const MAMMOGRAPHY_DESCRIPTORS: Partial<Record<FindingKind, readonly DescriptorDefinition[]>> = {
  mass: [
    MASS_SHAPE,
    {
      code: 'margin',
      label: 'Margin',
      terms: terms(['circumscribed', 'circumscribed'], ['obscured', 'obscured'], ['microlobulated', 'microlobulated'], ['indistinct', 'indistinct'], ['spiculated', 'spiculated']),
    },
    { code: 'density', label: 'Density', terms: terms(['high', 'high density'], ['equal', 'equal density'], ['low', 'low density'], ['fat-containing', 'fat-containing']) },
  ],
  calcifications: [
    {
      code: 'morphology',
      label: 'Morphology',
      terms: terms(
        // Typically benign.
        ['skin', 'skin'],
        ['vascular', 'vascular'],
        ['coarse', 'coarse or "popcorn-like"'],
        ['large-rod-like', 'large rod-like'],
        ['round', 'round'],
        ['rim', 'rim'],
        ['dystrophic', 'dystrophic'],
        ['milk-of-calcium', 'milk of calcium'],
        ['suture', 'suture'],
        // Suspicious morphology.
        ['amorphous', 'amorphous'],
        ['coarse-heterogeneous', 'coarse heterogeneous'],
        ['fine-pleomorphic', 'fine pleomorphic'],
        ['fine-linear', 'fine linear or fine-linear branching'],
      ),
    },
    {
      code: 'distribution',
      label: 'Distribution',
      terms: terms(['diffuse', 'diffuse'], ['regional', 'regional'], ['grouped', 'grouped'], ['linear', 'linear'], ['segmental', 'segmental']),
    },
  ],
  asymmetry: [
    {
      code: 'type',
      label: 'Type',
      terms: terms(['asymmetry', 'asymmetry'], ['global', 'global asymmetry'], ['focal', 'focal asymmetry'], ['developing', 'developing asymmetry']),
    },
  ],
  other: [{ code: 'type', label: 'Type', terms: terms(['solitary-dilated-duct', 'solitary dilated duct']) }],
};

/** Calcification morphologies the atlas counts as typically benign; the rest are suspicious. */
export const BENIGN_CALCIFICATION_MORPHOLOGIES: readonly string[] = [
  'skin',
  'vascular',
  'coarse',
  'large-rod-like',
  'round',
  'rim',
  'dystrophic',
  'milk-of-calcium',
  'suture',
];

export const MRI_DESCRIPTORS: Partial<Record<FindingKind, readonly DescriptorDefinition[]>> = {
  mass: [
    MASS_SHAPE,
    { code: 'margin', label: 'Margin', terms: terms(['circumscribed', 'circumscribed'], ['irregular', 'irregular'], ['spiculated', 'spiculated']) },
    {
      code: 'internalEnhancement',
      label: 'Internal enhancement',
      terms: terms(['homogeneous', 'homogeneous'], ['heterogeneous', 'heterogeneous'], ['rim', 'rim enhancement'], ['dark-septations', 'dark internal septations']),
    },
  ],
  'non-mass-enhancement': [
    {
      code: 'distribution',
      label: 'Distribution',
      terms: terms(['focal', 'focal'], ['linear', 'linear'], ['segmental', 'segmental'], ['regional', 'regional'], ['multiple-regions', 'multiple regions'], ['diffuse', 'diffuse']),
    },
    {
      code: 'internalPattern',
      label: 'Internal enhancement pattern',
      terms: terms(['homogeneous', 'homogeneous'], ['heterogeneous', 'heterogeneous'], ['clumped', 'clumped'], ['clustered-ring', 'clustered ring']),
    },
  ],
  // Non-enhancing findings, fat-containing lesions and implants.
  other: [
    {
      code: 'type',
      label: 'Type',
      terms: terms(
        ['ductal-t1-high', 'ductal pre-contrast high signal on T1'],
        ['cyst', 'cyst'],
        ['postoperative-collection', 'post-operative collection'],
        ['post-therapy-thickening', 'post-therapy skin or trabecular thickening'],
        ['non-enhancing-mass', 'non-enhancing mass'],
        ['signal-void', 'signal void from a foreign body or clip'],
        ['fat-necrosis', 'fat necrosis'],
        ['hamartoma', 'hamartoma'],
        ['postoperative-seroma-fat', 'post-operative seroma or hematoma with fat'],
        ['implant', 'implant'],
        ['implant-rupture', 'implant with signs of rupture'],
      ),
    },
  ],
};

export const MAMMOGRAPHY_ASSOCIATED_FEATURES: readonly LexiconTerm[] = terms(
  ['skin-retraction', 'skin retraction'],
  ['nipple-retraction', 'nipple retraction'],
  ['skin-thickening', 'skin thickening'],
  ['trabecular-thickening', 'trabecular thickening'],
  ['axillary-adenopathy', 'axillary adenopathy'],
  ['architectural-distortion', 'architectural distortion'],
  ['calcifications', 'calcifications'],
);

export const MRI_ASSOCIATED_FEATURES: readonly LexiconTerm[] = terms(
  ['nipple-retraction', 'nipple retraction'],
  ['nipple-invasion', 'nipple invasion'],
  ['skin-retraction', 'skin retraction'],
  ['skin-thickening', 'skin thickening'],
  ['skin-invasion-direct', 'direct skin invasion'],
  ['skin-invasion-inflammatory', 'inflammatory skin invasion'],
  ['axillary-adenopathy', 'axillary adenopathy'],
  ['pectoralis-invasion', 'pectoralis muscle invasion'],
  ['chest-wall-invasion', 'chest wall invasion'],
  ['architectural-distortion', 'architectural distortion'],
);

export const FINDING_KIND_LABELS: Record<FindingKind, string> = {
  mass: 'mass',
  calcifications: 'calcifications',
  asymmetry: 'asymmetry',
  'architectural-distortion': 'architectural distortion',
  'non-mass-enhancement': 'non-mass enhancement',
  focus: 'focus',
  'lymph-node': 'intramammary lymph node',
  'skin-lesion': 'skin lesion',
  other: 'finding',
};

/** Which finding kinds each modality's lexicon has. */
export const FINDING_KINDS_BY_MODALITY: Record<Modality, readonly FindingKind[]> = {
  mammography: ['mass', 'calcifications', 'asymmetry', 'architectural-distortion', 'lymph-node', 'skin-lesion', 'other'],
  mri: ['mass', 'non-mass-enhancement', 'focus', 'architectural-distortion', 'lymph-node', 'skin-lesion', 'other'],
};

export const KINETIC_INITIAL_LABELS = { slow: 'slow', medium: 'medium', fast: 'fast' } as const;
export const KINETIC_DELAYED_LABELS = { persistent: 'persistent', plateau: 'plateau', washout: 'washout' } as const;

export const BACKGROUND_ENHANCEMENT_LABELS = { minimal: 'minimal', mild: 'mild', moderate: 'moderate', marked: 'marked' } as const;

/** MRI states the amount of fibroglandular tissue with the composition letters, in its own words. */
export const FIBROGLANDULAR_TISSUE_LABELS = {
  a: 'almost entirely fat',
  b: 'scattered fibroglandular tissue',
  c: 'heterogeneous fibroglandular tissue',
  d: 'extreme fibroglandular tissue',
} as const;

export const LOCATION_LABELS = {
  laterality: { R: 'right', L: 'left' },
  quadrant: {
    UOQ: 'upper outer quadrant',
    UIQ: 'upper inner quadrant',
    LOQ: 'lower outer quadrant',
    LIQ: 'lower inner quadrant',
    subareolar: 'subareolar region',
    central: 'central region',
    'axillary-tail': 'axillary tail',
  },
  depth: { anterior: 'anterior depth', middle: 'middle depth', posterior: 'posterior depth' },
} as const;

/** The lexicon a template uses; the general MRI template has no BI-RADS lexicon. */
export function modalityOfTemplate(template: ReportTemplate): Modality | null {
  switch (template) {
    case 'birads-mammography':
      return 'mammography';
    case 'birads-breast-mri':
      return 'mri';
    default:
      return null;
  }
}

/** The descriptors that apply to a finding kind in a modality's lexicon (none for kinds without any). */
export function descriptorsFor(modality: Modality, kind: FindingKind): readonly DescriptorDefinition[] {
  const table = modality === 'mammography' ? MAMMOGRAPHY_DESCRIPTORS : MRI_DESCRIPTORS;
  return table[kind] ?? [];
}

export function associatedFeaturesFor(modality: Modality): readonly LexiconTerm[] {
  return modality === 'mammography' ? MAMMOGRAPHY_ASSOCIATED_FEATURES : MRI_ASSOCIATED_FEATURES;
}

/** A term's label, or null when the code is not a term of that descriptor. */
export function termLabel(modality: Modality, kind: FindingKind, descriptor: string, term: string): string | null {
  const definition = descriptorsFor(modality, kind).find((candidate) => candidate.code === descriptor);
  return definition?.terms.find((candidate) => candidate.code === term)?.label ?? null;
}

export function associatedFeatureLabel(modality: Modality, feature: string): string | null {
  return associatedFeaturesFor(modality).find((candidate) => candidate.code === feature)?.label ?? null;
}

/**
 * What in a finding's descriptors the lexicon does not know: descriptors that do not apply to its kind,
 * terms that are not the descriptor's, associated features of the other modality. Empty when valid.
 */
export function lexiconProblems(modality: Modality, finding: Pick<ReportFinding, 'kind' | 'descriptors' | 'associatedFeatures'>): string[] {
  const problems: string[] = [];
  if (!FINDING_KINDS_BY_MODALITY[modality].includes(finding.kind)) {
    problems.push(`${FINDING_KIND_LABELS[finding.kind]} is not in the ${MODALITY_LABELS[modality]} lexicon`);
  }
  const applicable = descriptorsFor(modality, finding.kind);
  for (const [descriptor, term] of Object.entries(finding.descriptors)) {
    const definition = applicable.find((candidate) => candidate.code === descriptor);
    if (!definition) {
      problems.push(`"${descriptor}" does not describe a ${FINDING_KIND_LABELS[finding.kind]} (${MODALITY_LABELS[modality]} lexicon)`);
    } else if (!definition.terms.some((candidate) => candidate.code === term)) {
      problems.push(`"${term}" is not a ${definition.label.toLowerCase()} term`);
    }
  }
  for (const feature of finding.associatedFeatures) {
    if (associatedFeatureLabel(modality, feature) === null) {
      problems.push(`"${feature}" is not an associated feature (${MODALITY_LABELS[modality]} lexicon)`);
    }
  }
  return problems;
}

/** Whether calcifications are described with a suspicious morphology (fine pleomorphic, amorphous, ...). */
export function hasSuspiciousCalcificationMorphology(finding: Pick<ReportFinding, 'kind' | 'descriptors'>): boolean {
  const morphology = finding.descriptors.morphology;
  return finding.kind === 'calcifications' && morphology !== undefined && !BENIGN_CALCIFICATION_MORPHOLOGIES.includes(morphology);
}

import { describe, expect, it } from 'vitest';
import {
  FINDING_KINDS_BY_MODALITY,
  associatedFeatureLabel,
  descriptorsFor,
  hasSuspiciousCalcificationMorphology,
  lexiconProblems,
  modalityOfTemplate,
  termLabel,
} from '../../shared/reports/lexicon.ts';
import { FINDING_KINDS } from '../../shared/reports/concordance.ts';

describe('BI-RADS lexicon', () => {
  it('gives a mammography mass shape, margin and density, and an MRI mass internal enhancement instead of density', () => {
    expect(descriptorsFor('mammography', 'mass').map((descriptor) => descriptor.code)).toEqual(['shape', 'margin', 'density']);
    expect(descriptorsFor('mri', 'mass').map((descriptor) => descriptor.code)).toEqual(['shape', 'margin', 'internalEnhancement']);
    expect(descriptorsFor('mammography', 'calcifications').map((descriptor) => descriptor.code)).toEqual(['morphology', 'distribution']);
    expect(descriptorsFor('mri', 'non-mass-enhancement').map((descriptor) => descriptor.code)).toEqual(['distribution', 'internalPattern']);
    expect(descriptorsFor('mammography', 'architectural-distortion')).toEqual([]);
  });

  it('lists the five mammography margins and the three MRI ones', () => {
    const margins = (modality: 'mammography' | 'mri'): string[] =>
      descriptorsFor(modality, 'mass').find((descriptor) => descriptor.code === 'margin')?.terms.map((term) => term.code) ?? [];
    expect(margins('mammography')).toEqual(['circumscribed', 'obscured', 'microlobulated', 'indistinct', 'spiculated']);
    expect(margins('mri')).toEqual(['circumscribed', 'irregular', 'spiculated']);
  });

  it('names the four asymmetry types, developing among them', () => {
    expect(descriptorsFor('mammography', 'asymmetry')[0]?.terms.map((term) => term.code)).toEqual(['asymmetry', 'global', 'focal', 'developing']);
  });

  it('describes other findings by type: a solitary dilated duct on mammography, non-enhancing findings and implants on MRI', () => {
    expect(termLabel('mammography', 'other', 'type', 'solitary-dilated-duct')).toBe('solitary dilated duct');
    expect(termLabel('mri', 'other', 'type', 'implant-rupture')).toBe('implant with signs of rupture');
    expect(termLabel('mammography', 'other', 'type', 'implant-rupture')).toBeNull();
  });

  it('reads a term and an associated feature by code, and nothing for a code of another kind or modality', () => {
    expect(termLabel('mammography', 'calcifications', 'morphology', 'fine-linear')).toBe('fine linear or fine-linear branching');
    expect(termLabel('mammography', 'mass', 'internalEnhancement', 'rim')).toBeNull();
    expect(termLabel('mri', 'mass', 'internalEnhancement', 'dark-septations')).toBe('dark internal septations');
    expect(associatedFeatureLabel('mri', 'chest-wall-invasion')).toBe('chest wall invasion');
    expect(associatedFeatureLabel('mammography', 'chest-wall-invasion')).toBeNull();
  });

  it('finds descriptors, terms, features and kinds that do not belong', () => {
    expect(lexiconProblems('mammography', { kind: 'mass', descriptors: { shape: 'oval', margin: 'circumscribed' }, associatedFeatures: [] })).toEqual([]);
    expect(
      lexiconProblems('mammography', { kind: 'mass', descriptors: { shape: 'star', internalEnhancement: 'rim' }, associatedFeatures: ['pectoralis-invasion'] }),
    ).toEqual(['"star" is not a shape term', '"internalEnhancement" does not describe a mass (mammography lexicon)', '"pectoralis-invasion" is not an associated feature (mammography lexicon)']);
    expect(lexiconProblems('mammography', { kind: 'non-mass-enhancement', descriptors: {}, associatedFeatures: [] })).toEqual([
      'non-mass enhancement is not in the mammography lexicon',
    ]);
  });

  it('every finding kind belongs to at least one modality, and templates map to their lexicon', () => {
    for (const kind of FINDING_KINDS) {
      expect(FINDING_KINDS_BY_MODALITY.mammography.includes(kind) || FINDING_KINDS_BY_MODALITY.mri.includes(kind), kind).toBe(true);
    }
    expect(modalityOfTemplate('birads-mammography')).toBe('mammography');
    expect(modalityOfTemplate('birads-breast-mri')).toBe('mri');
    expect(modalityOfTemplate('general-mri')).toBeNull();
  });

  it('tells suspicious calcification morphologies from typically benign ones', () => {
    expect(hasSuspiciousCalcificationMorphology({ kind: 'calcifications', descriptors: { morphology: 'fine-pleomorphic' } })).toBe(true);
    expect(hasSuspiciousCalcificationMorphology({ kind: 'calcifications', descriptors: { morphology: 'milk-of-calcium' } })).toBe(false);
    expect(hasSuspiciousCalcificationMorphology({ kind: 'mass', descriptors: { morphology: 'amorphous' } })).toBe(false);
  });
});

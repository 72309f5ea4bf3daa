import type { HangingCode, HangingInstance } from './model.ts';
import type { Laterality, MammoImageKind, MammoModifier, MammoView } from './protocol.ts';
import { findInTexts, textTokens } from './text-tokens.ts';

/**
 * What one instance is as a mammogram (domain reference b.1): breast image or not, which kind of
 * object, which side, which view, which modifiers. Every decision records the rule that made it;
 * decisions not read from a dedicated attribute are listed in `inferred` so the viewer can flag them.
 */
export interface MammoIdentity {
  breastImage: boolean;
  kind: MammoImageKind | null;
  laterality: Laterality | null;
  view: MammoView | null;
  modifiers: MammoModifier[];
  rules: string[];
  inferred: string[];
}

const STORAGE = '1.2.840.10008.5.1.4.1.1.';
export const SOP_MG_PRESENTATION = `${STORAGE}1.2`;
export const SOP_MG_PROCESSING = `${STORAGE}1.2.1`;
export const SOP_BREAST_TOMOSYNTHESIS = `${STORAGE}13.1.3`;
export const SOP_BREAST_PROJECTION_PRESENTATION = `${STORAGE}13.1.4`;
export const SOP_BREAST_PROJECTION_PROCESSING = `${STORAGE}13.1.5`;
const SOP_DX_PROCESSING = `${STORAGE}1.1.1`;
const MAMMO_SOP_CLASSES = new Set([
  SOP_MG_PRESENTATION,
  SOP_MG_PROCESSING,
  SOP_BREAST_TOMOSYNTHESIS,
  SOP_BREAST_PROJECTION_PRESENTATION,
  SOP_BREAST_PROJECTION_PROCESSING,
]);
const PROCESSING_SOP_CLASSES = new Set([SOP_MG_PROCESSING, SOP_DX_PROCESSING, SOP_BREAST_PROJECTION_PROCESSING]);
/** Secondary capture family: digitised film and vendor objects arrive this way. */
const SECONDARY_CAPTURE_PREFIX = `${STORAGE}7`;

/**
 * DICOM CID 4014 "View for Mammography": SNOMED CT (SCT) codes and the legacy SNOMED-RT (SRT, also
 * sent as SNM3) codes they replaced; both are in the field. The two deprecated Y-X codes of XCCL/XCCM
 * from an earlier edition of the group are still accepted.
 */
const VIEW_CODES: { view: MammoView; meaning: string; codes: string[] }[] = [
  { view: 'ML', meaning: 'medio-lateral', codes: ['399260004', 'R-10224'] },
  { view: 'MLO', meaning: 'medio-lateral oblique', codes: ['399368009', 'R-10226'] },
  { view: 'LM', meaning: 'latero-medial', codes: ['399352003', 'R-10228'] },
  { view: 'LMO', meaning: 'latero-medial oblique', codes: ['399099002', 'R-10230'] },
  { view: 'CC', meaning: 'cranio-caudal', codes: ['399162004', 'R-10242'] },
  { view: 'FB', meaning: 'caudo-cranial (from below)', codes: ['399196006', 'R-10244'] },
  { view: 'SIO', meaning: 'superolateral to inferomedial oblique', codes: ['399188001', 'R-102D0'] },
  { view: 'OTHER', meaning: 'inferomedial to superolateral oblique', codes: ['441555000', 'R-40AAA'] },
  { view: 'XCCL', meaning: 'cranio-caudal exaggerated laterally', codes: ['399192008', 'R-1024A', 'Y-X1770'] },
  { view: 'XCCM', meaning: 'cranio-caudal exaggerated medially', codes: ['399101009', 'R-1024B', 'Y-X1771'] },
  { view: 'OTHER', meaning: 'tissue specimen from breast', codes: ['127457009', 'G-8310'] },
];

/** DICOM CID 4015 "View Modifier for Mammography", both schemes. */
const MODIFIER_CODES: { modifier: MammoModifier; meaning: string; codes: string[] }[] = [
  { modifier: 'cleavage', meaning: 'cleavage', codes: ['399161006', 'R-102D2'] },
  { modifier: 'axillary-tail', meaning: 'axillary tail', codes: ['399011000', 'R-102D1'] },
  { modifier: 'rolled', meaning: 'rolled lateral', codes: ['399197002', 'R-102D3'] },
  { modifier: 'rolled', meaning: 'rolled medial', codes: ['399226006', 'R-102D4'] },
  { modifier: 'rolled', meaning: 'rolled inferior', codes: ['414493004', 'R-102CA'] },
  { modifier: 'rolled', meaning: 'rolled superior', codes: ['415670009', 'R-102C9'] },
  { modifier: 'implant-displaced', meaning: 'implant displaced', codes: ['399209000', 'R-102D5'] },
  { modifier: 'magnification', meaning: 'magnification', codes: ['399163009', 'R-102D6'] },
  { modifier: 'spot', meaning: 'spot compression', codes: ['399055006', 'R-102D7'] },
  { modifier: 'tangential', meaning: 'tangential', codes: ['399110001', 'R-102C2'] },
  { modifier: 'nipple-in-profile', meaning: 'nipple in profile', codes: ['442581004', 'R-40AB3'] },
  { modifier: 'other', meaning: 'anterior compression', codes: ['441752004', 'P2-00161'] },
  { modifier: 'other', meaning: 'infra-mammary fold', codes: ['442593008', 'R-40ABE'] },
  { modifier: 'axillary-tail', meaning: 'axillary tissue', codes: ['442580003', 'R-40AB2'] },
];

const CODE_SCHEMES = new Set(['SCT', 'SRT', 'SNM3', 'DCM']);

function lookupCode<T extends { codes: string[] }>(table: T[], code: HangingCode): T | null {
  const scheme = code.codingSchemeDesignator.trim().toUpperCase();
  if (!CODE_SCHEMES.has(scheme)) {
    return null;
  }
  const value = code.codeValue.trim().toUpperCase();
  return table.find((entry) => entry.codes.includes(value)) ?? null;
}

function describeCode(code: HangingCode): string {
  return `${code.codingSchemeDesignator.trim().toUpperCase().slice(0, 8)} ${code.codeValue.trim().slice(0, 16)}`;
}

const TEXT_VIEWS: Record<string, MammoView> = {
  CC: 'CC', MLO: 'MLO', ML: 'ML', LM: 'LM', LMO: 'LMO', XCCL: 'XCCL', XCCM: 'XCCM', XCC: 'XCCL',
  FB: 'FB', SIO: 'SIO', AT: 'AT', CV: 'CV',
};
const TEXT_SIDES: Record<string, Laterality> = { R: 'R', RT: 'R', RIGHT: 'R', L: 'L', LT: 'L', LEFT: 'L' };
/** "RCC", "LMLO", "RXCCL": side and view written together. */
const JOINED = /^(R|L|RT|LT|RIGHT|LEFT)(CC|MLO|ML|LM|LMO|XCCL|XCCM|XCC|FB|SIO|AT|CV)$/;

function readSide(tokens: string[]): { value: Laterality; token: string } | null {
  for (const token of tokens) {
    const side = TEXT_SIDES[token];
    if (side) {
      return { value: side, token };
    }
    const joined = JOINED.exec(token);
    if (joined) {
      return { value: TEXT_SIDES[joined[1] as string] as Laterality, token };
    }
  }
  return null;
}

function readView(tokens: string[]): { value: MammoView; token: string } | null {
  for (const token of tokens) {
    const view = TEXT_VIEWS[token];
    if (view) {
      return { value: view, token };
    }
    const joined = JOINED.exec(token);
    if (joined) {
      return { value: TEXT_VIEWS[joined[2] as string] as MammoView, token };
    }
  }
  return null;
}

const TEXT_MODIFIERS: Record<string, MammoModifier> = {
  SPOT: 'spot', MAG: 'magnification', MAGNIFICATION: 'magnification', ID: 'implant-displaced', EKLUND: 'implant-displaced',
  ROLLED: 'rolled', TAN: 'tangential', TANGENTIAL: 'tangential', CLEAVAGE: 'cleavage',
};

const BREAST_WORDS = new Set(['BREAST', 'MAMMO', 'MAMMOGRAM', 'MAMMOGRAPHY', 'MAMMA', 'MAMMOGRAFIE', 'MAMMOGRAPHIE', 'MG']);

function textSources(instance: HangingInstance): { name: string; text: string }[] {
  return [
    { name: 'series description', text: instance.seriesDescription },
    { name: 'protocol name', text: instance.protocolName },
    { name: 'view position', text: instance.viewPosition },
  ];
}

function breastImageRule(instance: HangingInstance): string | null {
  const modality = instance.modality.trim().toUpperCase();
  const bodyPart = instance.bodyPartExamined.trim().toUpperCase();
  if (modality === 'MG') {
    return 'breast image: Modality MG';
  }
  if (MAMMO_SOP_CLASSES.has(instance.sopClassUid)) {
    return `breast image: mammography SOP class ${instance.sopClassUid}`;
  }
  if ((modality === 'DX' || modality === 'CR') && bodyPart === 'BREAST') {
    return `breast image: Modality ${modality} with Body Part Examined BREAST`;
  }
  if (['SC', 'OT', 'RG', 'DX', 'CR'].includes(modality)) {
    // Digitised film from old CDs: a breast body part, breast words or a written mammographic view.
    const tokens = [instance.seriesDescription, instance.protocolName, instance.viewPosition].flatMap(textTokens);
    const hint = bodyPart === 'BREAST' ? 'Body Part Examined BREAST' : tokens.find((token) => BREAST_WORDS.has(token) || JOINED.test(token));
    if (hint) {
      return `breast image: Modality ${modality} with breast hint '${hint.slice(0, 32)}'`;
    }
  }
  return null;
}

function imageKind(instance: HangingInstance): { kind: MammoImageKind; rule: string } {
  const sop = instance.sopClassUid;
  if (sop === SOP_BREAST_TOMOSYNTHESIS) {
    return { kind: 'tomosynthesis', rule: 'kind: Breast Tomosynthesis Image Storage' };
  }
  if (sop === SOP_BREAST_PROJECTION_PRESENTATION || sop === SOP_BREAST_PROJECTION_PROCESSING) {
    return { kind: 'projection-set', rule: 'kind: Breast Projection X-Ray Image Storage' };
  }
  // Image Type values are split too, so a vendor's "TOMO_PROJ" reads as TOMO and PROJ.
  const words = [...instance.imageType.flatMap(textTokens), ...textTokens(instance.seriesDescription), ...textTokens(instance.protocolName)];
  const typeWords = new Set(instance.imageType.map((value) => value.trim().toUpperCase()));
  const multiFrame = instance.numberOfFrames > 1;
  if (words.some((word) => word.startsWith('PROJECTION')) || (multiFrame && words.includes('PROJ'))) {
    return { kind: 'projection-set', rule: 'kind: vendor projection set (PROJECTION in Image Type or description)' };
  }
  if (words.some((word) => word.startsWith('TOMO')) && multiFrame) {
    return { kind: 'tomosynthesis', rule: 'kind: vendor tomosynthesis object (TOMO, multi-frame)' };
  }
  if (multiFrame && sop.startsWith(SECONDARY_CAPTURE_PREFIX)) {
    return { kind: 'projection-set', rule: 'kind: multi-frame Secondary Capture in a breast study (vendor projection set)' };
  }
  if (typeWords.has('GENERATED_2D') || typeWords.has('SYNTHETIC') || words.includes('C-VIEW') || words.includes('SYNTHESIZED') || words.includes('CVIEW')) {
    return { kind: 'synthesized-2d', rule: 'kind: synthesized 2D (GENERATED_2D / SYNTHETIC / C-View)' };
  }
  if (instance.presentationIntentType.trim().toUpperCase() === 'FOR PROCESSING' || PROCESSING_SOP_CLASSES.has(sop)) {
    return { kind: 'for-processing', rule: 'kind: For Processing (raw detector image)' };
  }
  return { kind: '2d', rule: 'kind: 2D For Presentation' };
}

function normaliseSide(value: string): Laterality | null {
  const side = value.trim().toUpperCase();
  return side === 'R' || side === 'L' || side === 'B' ? side : null;
}

function identifyLaterality(instance: HangingInstance, rules: string[], inferred: string[]): Laterality | null {
  const image = normaliseSide(instance.imageLaterality);
  if (image) {
    rules.push(`laterality: Image Laterality (0020,0062) = ${image}`);
    return image;
  }
  const frame = normaliseSide(instance.frameLaterality);
  if (frame) {
    rules.push(`laterality: Frame Laterality (0020,9072) = ${frame}`);
    return frame;
  }
  const series = normaliseSide(instance.seriesLaterality);
  if (series) {
    rules.push(`laterality: series Laterality (0020,0060) = ${series}`);
    inferred.push('laterality from series Laterality');
    return series;
  }
  const text = findInTexts(textSources(instance), readSide);
  if (text) {
    rules.push(`laterality: ${text.source} text '${text.text}' = ${text.value}`);
    inferred.push(`laterality from ${text.source}`);
    return text.value;
  }
  rules.push('laterality: unknown');
  return null;
}

function identifyView(instance: HangingInstance, rules: string[], inferred: string[]): MammoView | null {
  for (const code of instance.viewCodes) {
    const entry = lookupCode(VIEW_CODES, code);
    if (entry) {
      rules.push(`view: View Code Sequence ${describeCode(code)} (${entry.meaning})`);
      return entry.view;
    }
  }
  const position = instance.viewPosition.trim().toUpperCase();
  const positionView = TEXT_VIEWS[position];
  if (positionView) {
    rules.push(`view: View Position (0018,5101) = ${position}`);
    return positionView;
  }
  const text = findInTexts(textSources(instance), readView);
  if (text) {
    rules.push(`view: ${text.source} text '${text.text}'`);
    inferred.push('view from text');
    return text.value;
  }
  rules.push('view: unknown');
  return null;
}

function identifyModifiers(instance: HangingInstance, view: MammoView | null, rules: string[], inferred: string[]): MammoModifier[] {
  const found = new Set<MammoModifier>();
  for (const code of instance.viewCodes.flatMap((viewCode) => viewCode.modifiers)) {
    const entry = lookupCode(MODIFIER_CODES, code);
    const modifier = entry?.modifier ?? 'other';
    rules.push(`modifier: View Modifier Code Sequence ${describeCode(code)} (${entry?.meaning ?? code.codeMeaning.slice(0, 48)})`);
    found.add(modifier);
  }
  if (instance.partialView.trim().toUpperCase() === 'YES') {
    rules.push('modifier: Partial View (0028,1350) = YES');
    found.add('partial-view');
  }
  if (found.size === 0) {
    const text = findInTexts(textSources(instance), (tokens) => {
      const token = tokens.find((word) => TEXT_MODIFIERS[word]);
      return token ? { value: TEXT_MODIFIERS[token] as MammoModifier, token } : null;
    });
    if (text) {
      rules.push(`modifier: ${text.source} text '${text.text}' (${text.value})`);
      inferred.push('modifier from text');
      found.add(text.value);
    }
  }
  if (view === 'CV') {
    found.add('cleavage');
  } else if (view === 'AT') {
    found.add('axillary-tail');
  }
  if (instance.breastImplantPresent.trim().toUpperCase() === 'YES') {
    rules.push('implant: Breast Implant Present (0028,1300) = YES');
  }
  return [...found];
}

export function identifyMammo(instance: HangingInstance): MammoIdentity {
  const rules: string[] = [];
  const inferred: string[] = [];
  const breastRule = breastImageRule(instance);
  if (!breastRule) {
    return { breastImage: false, kind: null, laterality: null, view: null, modifiers: [], rules: ['not a breast image'], inferred };
  }
  rules.push(breastRule);
  const { kind, rule } = imageKind(instance);
  rules.push(rule);
  const laterality = identifyLaterality(instance, rules, inferred);
  const view = identifyView(instance, rules, inferred);
  const modifiers = identifyModifiers(instance, view, rules, inferred);
  return { breastImage: true, kind, laterality, view, modifiers, rules, inferred };
}

/** Views read like a CC (lateral side at the top, paired with the CC); the others are read like an MLO. */
const CRANIO_CAUDAL_FAMILY = new Set<MammoView>(['CC', 'XCCL', 'XCCM', 'FB', 'CV']);

export function isCranioCaudalFamily(view: MammoView | null): boolean {
  return view !== null && CRANIO_CAUDAL_FAMILY.has(view);
}

/** The four views a screening study holds; every other view is an additional view. */
export function isStandardView(identity: MammoIdentity): boolean {
  return (identity.view === 'CC' || identity.view === 'MLO') && identity.modifiers.every((modifier) => modifier === 'partial-view');
}

const MODIFIER_LABELS: Record<MammoModifier, string> = {
  'spot': 'S', 'magnification': 'M', 'implant-displaced': 'ID', 'partial-view': 'partial', 'rolled': 'RL',
  'tangential': 'TAN', 'cleavage': 'CV', 'axillary-tail': 'AT', 'nipple-in-profile': 'NP', 'other': 'mod',
};

/** The label a reader uses: "RCC", "LMLO ID", "RCC M S". */
export function mammoLabel(laterality: Laterality | null, view: MammoView | null, modifiers: readonly MammoModifier[]): string {
  const base = `${laterality ?? '?'}${view ?? '?'}`;
  const extra = modifiers.filter((modifier) => !(modifier === 'cleavage' && view === 'CV') && !(modifier === 'axillary-tail' && view === 'AT'));
  return [base, ...extra.map((modifier) => MODIFIER_LABELS[modifier])].join(' ');
}

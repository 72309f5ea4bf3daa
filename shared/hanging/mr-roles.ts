import type { HangingInstance, HangingStudy } from './model.ts';
import type { MrRole, Plane } from './protocol.ts';
import { textTokens } from './text-tokens.ts';

/**
 * MR series roles (domain reference b.5): what each series is for the reader (T2, a DCE phase, a
 * subtraction...), its plane, and the rule that said so. One entry per display set: a series, or one
 * temporal phase of a multi-phase DCE series.
 */
export interface MrDisplaySet {
  studyInstanceUid: string;
  seriesInstanceUid: string;
  role: MrRole;
  /** DCE phase (0 = pre-contrast) or subtraction number (1 = first); null otherwise. */
  phase: number | null;
  plane: Plane | null;
  label: string;
  rules: string[];
  /** The instances of this display set, in Instance Number order. */
  instances: HangingInstance[];
}

const PLANE_SHORT: Record<Plane, string> = { axial: 'ax', sagittal: 'sag', coronal: 'cor', oblique: 'obl' };

export function planeOf(orientation: number[] | null): { plane: Plane; rule: string } | null {
  if (!orientation || orientation.length !== 6 || !orientation.every(Number.isFinite)) {
    return null;
  }
  const [rx, ry, rz, cx, cy, cz] = orientation as [number, number, number, number, number, number];
  const normal = [ry * cz - rz * cy, rz * cx - rx * cz, rx * cy - ry * cx].map(Math.abs) as [number, number, number];
  const largest = Math.max(...normal);
  // Within about 35 degrees of a main axis the plane is named after it; beyond that it is oblique.
  const plane: Plane = largest < 0.82 ? 'oblique' : normal[2] === largest ? 'axial' : normal[0] === largest ? 'sagittal' : 'coronal';
  return { plane, rule: `plane: Image Orientation (Patient) normal [${normal.map((value) => value.toFixed(2)).join(', ')}] = ${plane}` };
}

function timeOf(instance: HangingInstance): string {
  const time = instance.acquisitionDateTime || instance.acquisitionTime || instance.contentTime;
  return time ? time : instance.triggerTime !== null ? String(instance.triggerTime).padStart(12, '0') : '';
}

function byInstanceNumber(a: HangingInstance, b: HangingInstance): number {
  return (a.instanceNumber ?? 0) - (b.instanceNumber ?? 0);
}

interface SeriesInfo {
  seriesInstanceUid: string;
  instances: HangingInstance[];
  tokens: Set<string>;
  imageType: Set<string>;
  first: HangingInstance;
}

function hasAny(set: Set<string>, words: string[]): string | null {
  return words.find((word) => set.has(word)) ?? null;
}

function temporalPositions(series: SeriesInfo): number[] {
  return [...new Set(series.instances.map((instance) => instance.temporalPositionIdentifier).filter((value): value is number => value !== null))].sort((a, b) => a - b);
}

/** The role of one series from its header, first rule that fires wins. */
/** A fat-saturated T1 outside a named dynamic series may be its pre-contrast phase: it joins a dynamic group of its geometry. */
interface RoleReading {
  role: MrRole;
  rule: string;
  fatSatT1?: boolean;
}

function roleOf(series: SeriesInfo): RoleReading {
  const { tokens, imageType, first } = series;
  const typeWord = (words: string[]): string | null => hasAny(imageType, words);
  const token = (words: string[]): string | null => hasAny(tokens, words);
  let hit: string | null;
  if ((hit = typeWord(['LOCALIZER']) ?? token(['LOC', 'LOCALIZER', 'LOCALISER', 'SCOUT', 'SURVEY', '3PLANE', 'TRIPILOT']))) {
    return { role: 'localizer', rule: `role: localizer ('${hit}')` };
  }
  if ((hit = typeWord(['ADC']) ?? token(['ADC']))) {
    return { role: 'adc', rule: `role: ADC ('${hit}')` };
  }
  if ((hit = typeWord(['DIFFUSION', 'TRACEW']) ?? token(['DWI', 'DIFF', 'DIFFUSION', 'TRACEW']))) {
    return { role: 'dwi', rule: `role: DWI ('${hit}')` };
  }
  if (first.diffusionBValue !== null && first.diffusionBValue > 0) {
    return { role: 'dwi', rule: `role: DWI (b-value ${first.diffusionBValue})` };
  }
  if ((hit = typeWord(['MIP']) ?? token(['MIP']))) {
    return { role: 'mip', rule: `role: MIP ('${hit}')` };
  }
  if ((hit = typeWord(['SUB', 'SUBTRACT', 'SUBTRACTION']) ?? token(['SUB', 'SUBTRACT', 'SUBTRACTION']))) {
    return { role: 'subtraction', rule: `role: subtraction ('${hit}')` };
  }
  if (temporalPositions(series).length > 1) {
    return { role: 'dce', rule: `role: DCE (${temporalPositions(series).length} temporal positions in one series)` };
  }
  if ((hit = token(['DYN', 'DYNAMIC', 'DCE', 'VIBRANT', 'THRIVE', 'VIEWS', 'FL3D', '+C', 'POST', 'GAD']))) {
    return { role: 'dce', rule: `role: DCE ('${hit}')` };
  }
  if ((hit = token(['T2', 'STIR', 'TIRM', 'IDEAL', 'T2W']))) {
    return { role: 't2', rule: `role: T2 ('${hit}')` };
  }
  if ((hit = token(['T1', 'T1W']))) {
    // "T1 non FS" names the non-fat-saturated T1 the table asks for, not a fat-saturated one.
    const notFatSat = /(?:^|[^A-Z])NON?[\s_-]*(?:FS|FATSAT|FAT[\s_-]*SAT)(?:$|[^A-Z])/i.test(`${first.seriesDescription} ${first.protocolName}`.slice(0, 256));
    const fatSat = notFatSat ? null : token(['FS', 'FATSAT', 'SPAIR', 'SPIR', 'FAT']);
    return fatSat ? { role: 'other', rule: `role: T1 fat-saturated ('${fatSat}') outside a dynamic series`, fatSatT1: true } : { role: 't1', rule: `role: T1 ('${hit}')` };
  }
  return { role: 'other', rule: 'role: no rule matched' };
}

/** Same size, matrix, orientation and slice thickness: phases of one dynamic acquisition. */
function geometryKey(instance: HangingInstance): string {
  const orientation = (instance.imageOrientationPatient ?? []).map((value) => value.toFixed(2)).join(',');
  return [instance.rows, instance.columns, orientation, instance.sliceThickness?.toFixed(1) ?? ''].join('|');
}

const ROLE_LABELS: Record<MrRole, string> = { t1: 'T1', t2: 'T2', dce: 'DCE', subtraction: 'Sub', mip: 'MIP', dwi: 'DWI', adc: 'ADC', localizer: 'Localizer', other: 'Other' };

export function mrLabel(role: MrRole, phase: number | null, plane: Plane | null): string {
  const name = role === 'dce' ? (phase === 0 ? 'DCE pre' : phase === null ? 'DCE' : `DCE post${phase}`) : phase !== null && role === 'subtraction' ? `Sub ${phase}` : ROLE_LABELS[role];
  return plane ? `${name} ${PLANE_SHORT[plane]}` : name;
}

function seriesOf(study: HangingStudy): SeriesInfo[] {
  const groups = new Map<string, HangingInstance[]>();
  for (const instance of study.instances) {
    if (instance.modality.trim().toUpperCase() !== 'MR') {
      continue;
    }
    const list = groups.get(instance.seriesInstanceUid) ?? [];
    list.push(instance);
    groups.set(instance.seriesInstanceUid, list);
  }
  return [...groups.entries()].map(([seriesInstanceUid, instances]) => {
    const sorted = [...instances].sort(byInstanceNumber);
    const first = sorted[0] as HangingInstance;
    return {
      seriesInstanceUid,
      instances: sorted,
      first,
      tokens: new Set([first.seriesDescription, first.protocolName, first.sequenceName].flatMap(textTokens)),
      imageType: new Set(first.imageType.map((value) => value.trim().toUpperCase())),
    };
  });
}

export function classifyMrStudy(study: HangingStudy): MrDisplaySet[] {
  const series = seriesOf(study).sort((a, b) => (a.first.seriesNumber ?? 0) - (b.first.seriesNumber ?? 0));
  const sets: MrDisplaySet[] = [];
  const make = (info: SeriesInfo, role: MrRole, phase: number | null, rules: string[], instances: HangingInstance[]): MrDisplaySet => {
    const plane = planeOf(info.first.imageOrientationPatient);
    return {
      studyInstanceUid: study.studyInstanceUid,
      seriesInstanceUid: info.seriesInstanceUid,
      role,
      phase,
      plane: plane?.plane ?? null,
      label: mrLabel(role, phase, plane?.plane ?? null),
      rules: plane ? [...rules, plane.rule] : [...rules, 'plane: unknown (no Image Orientation (Patient))'],
      instances,
    };
  };
  const classified = series.map((info) => ({ info, ...roleOf(info) }));
  // Single-phase dynamic series of the same geometry are the phases of one acquisition, ordered by time.
  const dynamicGroups = new Map<string, typeof classified>();
  const fatSatT1: typeof classified = [];
  let subtractionCount = 0;
  for (const entry of classified) {
    const { info, role, rule } = entry;
    const positions = temporalPositions(info);
    if (role === 'dce' && positions.length > 1) {
      positions.forEach((position, index) => {
        const phaseInstances = info.instances.filter((instance) => instance.temporalPositionIdentifier === position);
        sets.push(make(info, 'dce', index, [rule, `phase ${index}: temporal position ${position} of ${positions.length}${index === 0 ? ' (pre-contrast)' : ''}`], phaseInstances));
      });
    } else if (role === 'dce') {
      const key = geometryKey(info.first);
      dynamicGroups.set(key, [...(dynamicGroups.get(key) ?? []), entry]);
    } else if (entry.fatSatT1) {
      fatSatT1.push(entry);
    } else if (role === 'subtraction') {
      subtractionCount += 1;
      sets.push(make(info, 'subtraction', subtractionCount, [rule, `subtraction ${subtractionCount} in series order`], info.instances));
    } else {
      sets.push(make(info, role, null, [rule], info.instances));
    }
  }
  for (const entry of fatSatT1) {
    const group = dynamicGroups.get(geometryKey(entry.info.first));
    if (group) {
      group.push({ ...entry, role: 'dce', rule: `${entry.rule}; same geometry as a dynamic series: a phase of it` });
    } else {
      sets.push(make(entry.info, 'other', null, [entry.rule], entry.info.instances));
    }
  }
  // Contrast recorded, or said in the description.
  const looksPost = (info: SeriesInfo): boolean => info.first.contrastBolusAgent.trim() !== '' || hasAny(info.tokens, ['POST', '+C', 'GAD']) !== null;
  for (const group of dynamicGroups.values()) {
    // Pre-contrast first (no contrast recorded or said), then acquisition time, then series number.
    const ordered = [...group].sort((a, b) =>
      Number(looksPost(a.info)) - Number(looksPost(b.info)) ||
      timeOf(a.info.first).localeCompare(timeOf(b.info.first)) ||
      (a.info.first.seriesNumber ?? 0) - (b.info.first.seriesNumber ?? 0));
    // Phase 0 is the pre-contrast series; when every series of the group is after contrast, numbering starts at 1.
    const first = ordered.every((entry) => looksPost(entry.info)) ? 1 : 0;
    const lone = ordered[0];
    if (group.length === 1 && lone && first === 0) {
      // One series of a dynamic protocol, no contrast recorded or said: calling it pre-contrast would be a guess.
      sets.push(make(lone.info, 'dce', null, [lone.rule, 'phase not known: the only series of its geometry, no contrast recorded'], lone.info.instances));
      continue;
    }
    ordered.forEach((entry, index) => {
      const phase = index + first;
      const why = group.length > 1
        ? `phase ${phase} of ${group.length} same-geometry series by contrast and acquisition time`
        : `phase ${phase}: the only series of its geometry${phase === 0 ? '' : ', after contrast'}`;
      sets.push(make(entry.info, 'dce', phase, [entry.rule, why], entry.info.instances));
    });
  }
  return sets;
}

import { scoreProtocol, type ProtocolScore } from './activation.ts';
import { createContext, type HangingContext } from './context.ts';
import { additionalObjects } from './additional-objects.ts';
import type { HangingInput, HangingStudy } from './model.ts';
import type { MrDisplaySet } from './mr-roles.ts';
import { DISAGREE_WARNING, UNKNOWN_WARNING } from './mammo-orientation.ts';
import { choosePrior, priorCandidates, type PriorChoice, type PriorGroup } from './priors.ts';
import type { HangingPreferences, HangingProtocol, Stage, SyncGroup } from './protocol.ts';
import type { HangingRequest, ResolvedLayout, ResolvedSlot } from './layout.ts';
import { generateStage } from './stage-generators.ts';
import { resolveSlots, type MammoCandidate, type PlannedSlot } from './stage-slots.ts';

/**
 * The hanging engine: a pure function from a patient's studies to the resolved layout of one stage.
 * It picks the protocol (activation scores; the reader's choice wins), the prior (by date), the stage
 * (in the reader's order), and fills every cell with the rules that fired.
 */

type StageStatus = 'enabled' | 'passive' | 'disabled';

interface ResolvedStage {
  stage: Stage;
  grid: { rows: number; columns: number };
  slots: ResolvedSlot[];
  syncGroups: SyncGroup[];
  leftOver: { candidate: MammoCandidate | MrDisplaySet; reason: string }[];
  status: StageStatus;
}

function priorGroup(protocol: HangingProtocol, current: HangingStudy): PriorGroup {
  if (protocol.displaySets === 'instance') {
    return { kind: 'mammo' };
  }
  const modalities = current.modalities.map((modality) => modality.toUpperCase());
  return modalities.includes('MR') || current.instances.some((instance) => instance.modality.toUpperCase() === 'MR') ? { kind: 'mr' } : { kind: 'modality', modalities };
}

/** Protocols best first: score, then factory before user, then the order given. */
function rankProtocols(input: HangingInput, protocols: HangingProtocol[]): ProtocolScore[] {
  const scoring = createContext(input.current, []);
  const scores = protocols.map((protocol) => scoreProtocol(scoring, protocol, priorCandidates(input.current, input.others, priorGroup(protocol, input.current)).length));
  return scores
    .map((score, order) => ({ score, order }))
    .sort((a, b) => b.score.score - a.score.score || (a.score.protocol.level === 'factory' ? 0 : 1) - (b.score.protocol.level === 'factory' ? 0 : 1) || a.order - b.order)
    .map(({ score }) => score);
}

/**
 * When no protocol's required rules hold (a single film, a one-view study), the closest one hangs the
 * study anyway: one built for its kind of display set (mammograms per image), then the fewest
 * failed required rules, then the score. A breast word in a body part must not send a mammogram to MR.
 */
function closestProtocol(ranked: ProtocolScore[], input: HangingInput): ProtocolScore | undefined {
  const context = createContext(input.current, []);
  const wanted = input.current.instances.some((instance) => context.identity(instance).breastImage) ? 'instance' : 'series';
  return [...ranked].sort((a, b) =>
    (a.protocol.displaySets === wanted ? 0 : 1) - (b.protocol.displaySets === wanted ? 0 : 1) ||
    a.failedRequired - b.failedRequired ||
    b.score - a.score)[0];
}

function chooseProtocol(ranked: ProtocolScore[], input: HangingInput, request: HangingRequest, warnings: string[]): HangingProtocol {
  if (request.protocolId !== undefined) {
    const forced = ranked.find((score) => score.protocol.id === request.protocolId);
    if (forced) {
      if (!forced.qualified) {
        warnings.push(`${forced.protocol.name}: chosen by the reader although its required rules do not match this study.`);
      }
      return forced.protocol;
    }
    warnings.push(`No protocol with id ${request.protocolId}; the best matching one is used.`);
  }
  const best = ranked.find((score) => score.qualified) ?? closestProtocol(ranked, input);
  if (!best) {
    throw new Error('no hanging protocols to choose from');
  }
  if (!best.qualified) {
    warnings.push(`No protocol's required rules match this study; ${best.protocol.name} is the closest.`);
  }
  return best.protocol;
}

/** The reader's stage order: the ids they listed first (those that exist), then the rest in protocol order. */
function orderStages(protocol: HangingProtocol, preferences: HangingPreferences): Stage[] {
  const wanted = preferences.stageOrder[protocol.id] ?? [];
  const byId = new Map(protocol.stages.map((stage) => [stage.id, stage]));
  const first = [...new Set(wanted)].map((id) => byId.get(id)).filter((stage): stage is Stage => stage !== undefined);
  return [...first, ...protocol.stages.filter((stage) => !first.includes(stage))];
}

/**
 * The overview's arrangement follows the reader: CC pairs before MLO pairs, the prior row below.
 * Cells are permuted before resolution so slot names still run left to right, top to bottom.
 */
function arrangeOverview(protocol: HangingProtocol, stage: Stage, preferences: HangingPreferences): Stage {
  if (protocol.displaySets !== 'instance' || stage.id !== 'overview' || stage.slots.length !== stage.grid.rows * stage.grid.columns) {
    return stage;
  }
  const { rows, columns } = stage.grid;
  const half = columns / 2;
  const sourceColumn = (column: number): number => (preferences.mammoOverviewOrder === 'cc-first' && Number.isInteger(half) ? (column + half) % columns : column);
  const sourceRow = (row: number): number => (preferences.priorRow === 'bottom' ? rows - 1 - row : row);
  const slots = Array.from({ length: rows * columns }, (_, index) => {
    const row = Math.floor(index / columns);
    const column = index % columns;
    return stage.slots[sourceRow(row) * columns + sourceColumn(column)] as Stage['slots'][number];
  });
  return { ...stage, slots };
}

function resolveStage(context: HangingContext, protocol: HangingProtocol, stage: Stage, hasPrior: boolean): ResolvedStage {
  let grid = stage.grid;
  let planned: PlannedSlot[];
  let syncGroups = stage.syncGroups;
  let leftOver: ResolvedStage['leftOver'] = [];
  if (stage.generator) {
    const generated = generateStage(context, stage);
    ({ grid, planned, syncGroups, leftOver } = generated);
  } else {
    planned = stage.slots.map((definition) => ({ definition }));
  }
  const slots = resolveSlots(context, planned, grid.columns, protocol.displaySets);
  const filled = slots.filter((slot) => slot.empty === null).length;
  const status: StageStatus = stage.requiresPrior && !hasPrior ? 'disabled' : filled >= Math.max(1, stage.minSlotsMatched) ? 'enabled' : filled > 0 ? 'passive' : 'disabled';
  return { stage, grid, slots, syncGroups, leftOver, status };
}

/** Prior 1 is the chosen study; prior 2, 3... are the next older comparable ones. */
function priorStudies(choice: PriorChoice): HangingStudy[] {
  if (!choice.chosen) {
    return [];
  }
  const index = choice.candidates.indexOf(choice.chosen);
  return choice.candidates.slice(index).map((candidate) => candidate.study);
}

/** The stage's status names every cell whose orientation the reader must check, in one line per kind. */
function orientationWarnings(slots: ResolvedSlot[]): string[] {
  const named = (status: 'disagree' | 'unknown'): string[] =>
    slots.filter((slot) => slot.orientation?.status === status).map((slot) => `${slot.role === 'prior' ? 'prior ' : ''}${slot.label}`);
  return ([['disagree', DISAGREE_WARNING], ['unknown', UNKNOWN_WARNING]] as const)
    .map(([status, warning]) => [named(status), warning] as const)
    .filter(([labels]) => labels.length > 0)
    .map(([labels, warning]) => `${labels.join(', ')}: ${warning} (flip or keep it on ${labels.length === 1 ? 'the cell' : 'each cell'})`);
}

export function resolveHanging(
  input: HangingInput,
  protocols: HangingProtocol[],
  request: HangingRequest,
  preferences: HangingPreferences,
): ResolvedLayout {
  const warnings: string[] = [];
  const ranked = rankProtocols(input, protocols);
  const protocol = chooseProtocol(ranked, input, request, warnings);

  const candidates = priorCandidates(input.current, input.others, priorGroup(protocol, input.current));
  const choice = choosePrior(input.current, candidates, request.priorRule ?? protocol.priors.rule, request.priorStudyInstanceUid);
  warnings.push(...choice.warnings);
  const priors = protocol.priors.referenced > 0 ? priorStudies(choice) : [];
  const context = createContext(input.current, priors);

  const stages = orderStages(protocol, preferences).map((stage) => resolveStage(context, protocol, arrangeOverview(protocol, stage, preferences), priors.length > 0));
  // Without a request the first enabled stage opens (an overview half empty for want of a prior is
  // skipped), else the first passive one, so a study with a single image still shows it.
  const firstWith = (status: StageStatus): number => stages.findIndex((stage) => stage.status === status) + 1;
  const requested = request.stage ?? (firstWith('enabled') || firstWith('passive') || 1);
  if (requested > stages.length) {
    warnings.push(`Stage ${requested} does not exist; stage ${stages.length} is shown.`);
  }
  const number = Math.min(requested, stages.length);
  const shown = stages[number - 1] as ResolvedStage;
  warnings.push(...orientationWarnings(shown.slots));
  const prior = choice.chosen && priors.length > 0 ? choice.chosen.study : null;

  return {
    protocol: { id: protocol.id, name: protocol.name },
    stage: { id: shown.stage.id, number, name: shown.stage.name, count: stages.length },
    stages: stages.map((stage, index) => ({ id: stage.stage.id, number: index + 1, name: stage.stage.name, status: stage.status })),
    grid: shown.grid,
    prior: prior ? { studyInstanceUid: prior.studyInstanceUid, studyDate: prior.studyDate, facility: prior.facility, reason: choice.reason } : null,
    priors: choice.candidates.map(({ study }) => ({
      studyInstanceUid: study.studyInstanceUid,
      studyDate: study.studyDate,
      facility: study.facility,
      studyDescription: study.studyDescription,
      modalities: [...study.modalities],
    })),
    slots: shown.slots,
    syncGroups: shown.syncGroups,
    additional: additionalObjects(context, protocol, shown.slots, shown.leftOver),
    candidates: ranked.filter((score) => score.qualified).map((score) => ({ id: score.protocol.id, name: score.protocol.name, score: score.score })),
    warnings: prior === null && protocol.priors.referenced > 0 ? [...warnings, choice.reason] : warnings,
  };
}

import type { ResolvedLayout, ResolvedSlot } from './layout.ts';
import { MAMMO_VIEWS, protocolSchema, type HangingProtocol, type MammoView, type SlotDefinition, type SlotSelector } from './protocol.ts';

/**
 * Protocols made at this workstation: "save this arrangement as a protocol" turns what is on screen
 * into semantic selectors (prior RCC, current T2 axial...) so it hangs the next patient the same way,
 * and a stored or imported protocol is checked before use with messages a reader can act on.
 */

function isMammoView(view: string | null): view is MammoView {
  return view !== null && (MAMMO_VIEWS as readonly string[]).includes(view);
}

function selectorOf(slot: ResolvedSlot): SlotSelector {
  const selector: SlotSelector = { study: slot.role };
  if (slot.role === 'prior') {
    selector.priorNumber = slot.priorNumber ?? 1;
  }
  if (slot.laterality) {
    selector.laterality = slot.laterality;
  }
  if (isMammoView(slot.view)) {
    selector.view = slot.view;
    selector.modifiers = slot.modifiers.some((modifier) => modifier !== 'partial-view') ? 'some' : 'none';
  }
  if (slot.seriesRole) {
    selector.seriesRole = slot.seriesRole;
  }
  if (slot.phase !== null) {
    selector.phase = slot.phase;
  }
  if (slot.plane) {
    selector.plane = slot.plane;
  }
  return selector;
}

function definitionOf(slot: ResolvedSlot, groupIds: Set<string>, mammography: boolean): SlotDefinition {
  const pinned = slot.justification.horizontal !== 'center';
  return {
    selector: selectorOf(slot),
    display: {
      orientation: mammography ? 'mammo-target' : 'as-stored',
      justification: pinned ? 'chest-wall' : 'center',
      scaling: slot.scaling,
    },
    syncGroups: slot.syncGroups.filter((id) => groupIds.has(id)),
  };
}

/** A user protocol whose single stage reproduces the layout's arrangement with semantic selectors. */
export function protocolFromLayout(layout: ResolvedLayout, names: { id: string; name: string }): HangingProtocol {
  const mammography = layout.slots.some((slot) => slot.laterality !== null || slot.view !== null) && !layout.slots.some((slot) => slot.seriesRole !== null);
  const groupIds = new Set(layout.syncGroups.map((group) => group.id));
  const referenced = Math.max(0, ...layout.slots.map((slot) => slot.priorNumber ?? 0));
  const roles = [...new Set(layout.slots.map((slot) => slot.seriesRole).filter((role) => role !== null))];
  return {
    id: names.id,
    name: names.name,
    description: `Saved from "${layout.protocol.name}", stage "${layout.stage.name}".`,
    level: 'user',
    displaySets: mammography ? 'instance' : 'series',
    activation: mammography
      ? [{ attribute: 'standardMammoViews', constraint: { atLeast: 1 }, weight: 1, required: true }]
      : [
          { attribute: 'modalities', constraint: { includes: 'MR' }, weight: 1, required: false },
          ...roles.slice(0, 8).map((role) => ({ attribute: 'mrRoles' as const, constraint: { includes: role }, weight: 1, required: false })),
        ],
    priors: { referenced, rule: 'default' },
    stages: [
      {
        id: 'stage-1',
        name: names.name,
        grid: { ...layout.grid },
        slots: layout.slots.map((slot) => definitionOf(slot, groupIds, mammography)),
        minSlotsMatched: 1,
        syncGroups: layout.syncGroups.map((group) => ({ ...group })),
      },
    ],
  };
}

export type ProtocolValidation = { ok: true; protocol: HangingProtocol } | { ok: false; errors: string[] };

function duplicates(values: string[]): string[] {
  return [...new Set(values.filter((value, index) => values.indexOf(value) !== index))];
}

/** The schema, then what the schema cannot say: grids match their cells, sync groups exist, ids are unique. */
export function validateProtocol(json: unknown): ProtocolValidation {
  const parsed = protocolSchema.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'protocol'}: ${issue.message}`),
    };
  }
  const protocol = parsed.data;
  const errors: string[] = [];
  for (const id of duplicates(protocol.stages.map((stage) => stage.id))) {
    errors.push(`stages: the stage id "${id}" is used more than once`);
  }
  protocol.stages.forEach((stage, index) => {
    const where = `stages.${index} (${stage.id})`;
    const cells = stage.grid.rows * stage.grid.columns;
    if (stage.generator) {
      if (stage.slots.length > 0) {
        errors.push(`${where}: a generated stage (${stage.generator}) has no fixed slots, but ${stage.slots.length} are given`);
      }
    } else if (stage.slots.length !== cells) {
      errors.push(`${where}: the ${stage.grid.rows}×${stage.grid.columns} grid has ${cells} cells but ${stage.slots.length} slots are given`);
    }
    const groupIds = stage.syncGroups.map((group) => group.id);
    for (const id of duplicates(groupIds)) {
      errors.push(`${where}: the sync group id "${id}" is used more than once`);
    }
    stage.slots.forEach((slot, slotIndex) => {
      for (const id of slot.syncGroups.filter((group) => !groupIds.includes(group))) {
        errors.push(`${where}.slots.${slotIndex}: sync group "${id}" is not defined in this stage`);
      }
      const priorNumber = slot.selector.priorNumber ?? 1;
      if (slot.selector.study === 'prior' && priorNumber > protocol.priors.referenced) {
        errors.push(`${where}.slots.${slotIndex}: asks for prior ${priorNumber} but the protocol references ${protocol.priors.referenced} ${protocol.priors.referenced === 1 ? 'prior' : 'priors'}`);
      }
      if (slot.selector.study === 'current' && slot.selector.priorNumber !== undefined) {
        errors.push(`${where}.slots.${slotIndex}: priorNumber is only for prior slots`);
      }
    });
    if (!stage.generator && stage.minSlotsMatched > cells) {
      errors.push(`${where}: minSlotsMatched ${stage.minSlotsMatched} is more than the ${cells} cells`);
    }
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, protocol };
}

import { describe, expect, it } from 'vitest';
import { resolveHanging } from '../../shared/hanging/engine.ts';
import { FACTORY_PROTOCOLS } from '../../shared/hanging/protocols/index.ts';
import { DEFAULT_HANGING_PREFERENCES } from '../../shared/hanging/protocol.ts';
import { protocolFromLayout, validateProtocol } from '../../shared/hanging/user-protocols.ts';
import { makeStudy, mrSeries, screeningViews } from '../support/hanging-input.ts';

const current = makeStudy('20250610', screeningViews());
const prior = makeStudy('20240515', screeningViews());

describe('user protocols', () => {
  it('a saved arrangement hangs the next patient the same way', () => {
    const layout = resolveHanging({ current, others: [prior] }, FACTORY_PROTOCOLS, { stage: 3 }, DEFAULT_HANGING_PREFERENCES);
    expect(layout.stage.id).toBe('cc-comparison');
    const saved = protocolFromLayout(layout, { id: 'my-cc', name: 'My CC comparison' });
    expect(saved.level).toBe('user');
    expect(saved.displaySets).toBe('instance');
    expect(saved.stages[0]?.slots[0]?.selector).toEqual({ study: 'prior', priorNumber: 1, laterality: 'R', view: 'CC', modifiers: 'none' });
    const checked = validateProtocol(JSON.parse(JSON.stringify(saved)));
    expect(checked).toEqual({ ok: true, protocol: saved });

    const nextPatient = { current: makeStudy('20250701', screeningViews()), others: [makeStudy('20230101', screeningViews())] };
    const again = resolveHanging(nextPatient, [...FACTORY_PROTOCOLS, saved], { protocolId: 'my-cc' }, DEFAULT_HANGING_PREFERENCES);
    expect(again.protocol.id).toBe('my-cc');
    expect(again.slots.map((slot) => `${slot.role}-${slot.label}-${slot.justification.horizontal}`)).toEqual(layout.slots.map((slot) => `${slot.role}-${slot.label}-${slot.justification.horizontal}`));
    expect(again.slots.map((slot) => slot.syncGroups)).toEqual(layout.slots.map((slot) => slot.syncGroups));
    expect(again.slots[0]?.studyInstanceUid).toBe(nextPatient.others[0]?.studyInstanceUid);
  });

  it('keeps MR roles, phases and planes', () => {
    const mr = makeStudy('20250610', [...mrSeries('T2 ax', 1), ...mrSeries('dyn pre', 2), ...mrSeries('dyn post', 3, { contrastBolusAgent: 'Gd', acquisitionTime: '101000' }), ...mrSeries('SUB', 4), ...mrSeries('MIP', 5)]);
    const layout = resolveHanging({ current: mr, others: [] }, FACTORY_PROTOCOLS, {}, DEFAULT_HANGING_PREFERENCES);
    const saved = protocolFromLayout(layout, { id: 'my-mr', name: 'My MR' });
    expect(saved.displaySets).toBe('series');
    expect(saved.stages[0]?.slots[4]?.selector).toEqual({ study: 'current', seriesRole: 'dce', phase: 1, plane: 'axial' });
    expect(validateProtocol(saved).ok).toBe(true);
  });

  it('explains what is wrong with a protocol', () => {
    const base = protocolFromLayout(resolveHanging({ current, others: [prior] }, FACTORY_PROTOCOLS, { stage: 3 }, DEFAULT_HANGING_PREFERENCES), { id: 'bad', name: 'Bad' });
    const stage = base.stages[0];
    if (!stage) {
      throw new Error('the saved protocol has a stage');
    }
    const broken = {
      ...base,
      priors: { referenced: 0, rule: 'default' as const },
      stages: [
        { ...stage, grid: { rows: 1, columns: 2 }, slots: stage.slots.map((slot, index) => (index === 0 ? { ...slot, syncGroups: ['nowhere'] } : slot)) },
        { ...stage, syncGroups: [...stage.syncGroups, stage.syncGroups[0]] },
      ],
    };
    const result = validateProtocol(broken);
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors).toContain('stages: the stage id "stage-1" is used more than once');
    expect(errors).toContain('stages.0 (stage-1): the 1×2 grid has 2 cells but 4 slots are given');
    expect(errors).toContain('stages.0 (stage-1).slots.0: sync group "nowhere" is not defined in this stage');
    expect(errors).toContain('stages.0 (stage-1).slots.1: asks for prior 1 but the protocol references 0 priors');
    expect(errors).toContain(`stages.1 (stage-1): the sync group id "${stage.syncGroups[0]?.id}" is used more than once`);

    const schemaError = validateProtocol({ ...base, id: 'Not An Id', stages: [] });
    expect(schemaError.ok).toBe(false);
    expect(schemaError.ok ? [] : schemaError.errors).toEqual(expect.arrayContaining([expect.stringMatching(/^id: lower-case letters, digits and dashes/), expect.stringMatching(/^stages: /)]));
  });
});

import { identifyMammo, type MammoIdentity } from './mammo-identify.ts';
import type { HangingInstance, HangingStudy } from './model.ts';
import { classifyMrStudy, type MrDisplaySet } from './mr-roles.ts';

/**
 * The studies one resolution works on, with identification done once per instance and MR roles once
 * per study, however many stages and slots ask.
 */
export interface HangingContext {
  current: HangingStudy;
  /** priors[0] is prior 1 (the chosen one), priors[1] the next older comparable study... */
  priors: HangingStudy[];
  identity(instance: HangingInstance): MammoIdentity;
  mrSets(study: HangingStudy): MrDisplaySet[];
  studyFor(study: 'current' | 'prior', priorNumber?: number): HangingStudy | null;
}

// Inputs are treated as immutable, so identification can be remembered per object across resolutions.
const identities = new WeakMap<HangingInstance, MammoIdentity>();
const mrSetsByStudy = new WeakMap<HangingStudy, MrDisplaySet[]>();

export function createContext(current: HangingStudy, priors: HangingStudy[]): HangingContext {
  return {
    current,
    priors,
    identity(instance) {
      let found = identities.get(instance);
      if (!found) {
        found = identifyMammo(instance);
        identities.set(instance, found);
      }
      return found;
    },
    mrSets(study) {
      let found = mrSetsByStudy.get(study);
      if (!found) {
        found = classifyMrStudy(study);
        mrSetsByStudy.set(study, found);
      }
      return found;
    },
    studyFor(study, priorNumber = 1) {
      return study === 'current' ? current : (priors[priorNumber - 1] ?? null);
    },
  };
}

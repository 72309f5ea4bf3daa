import type { HangingContext } from './context.ts';
import { isStandardView } from './mammo-identify.ts';
import type { ActivationAttribute, ActivationRule, HangingProtocol } from './protocol.ts';

/**
 * How well a protocol fits the current study (OHIF's matching rules): the weights of the rules that
 * hold are summed; a required rule that fails disqualifies the protocol.
 */
export interface ProtocolScore {
  protocol: HangingProtocol;
  score: number;
  qualified: boolean;
  /** How many required rules failed: the closest protocol when none qualifies has the fewest. */
  failedRequired: number;
}

type AttributeValue = string[] | string | number;

function upper(values: Iterable<string>): string[] {
  return [...new Set([...values].map((value) => value.trim().toUpperCase()).filter(Boolean))];
}

export function attributeValue(context: HangingContext, attribute: ActivationAttribute, priorCount: number): AttributeValue {
  const study = context.current;
  switch (attribute) {
    case 'modalities':
      return upper([...study.modalities, ...study.instances.map((instance) => instance.modality)]);
    case 'bodyPart':
      return upper(study.instances.map((instance) => instance.bodyPartExamined));
    case 'studyDescription':
      return study.studyDescription.slice(0, 256).toUpperCase();
    case 'standardMammoViews': {
      const views = new Set<string>();
      for (const instance of study.instances) {
        const identity = context.identity(instance);
        if (identity.breastImage && identity.kind !== 'tomosynthesis' && identity.kind !== 'projection-set' && isStandardView(identity) && (identity.laterality === 'R' || identity.laterality === 'L')) {
          views.add(`${identity.laterality}${identity.view}`);
        }
      }
      return views.size;
    }
    case 'priorCount':
      return priorCount;
    case 'mrRoles':
      return upper(context.mrSets(study).map((set) => set.role));
  }
}

export function ruleHolds(rule: ActivationRule, value: AttributeValue): boolean {
  const constraint = rule.constraint;
  const texts = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
  if ('includes' in constraint) {
    const wanted = constraint.includes.toUpperCase();
    return Array.isArray(value) ? texts.includes(wanted) : texts.some((text) => text.includes(wanted));
  }
  if ('containsText' in constraint) {
    const wanted = constraint.containsText.toUpperCase();
    return texts.some((text) => text.includes(wanted));
  }
  if ('atLeast' in constraint) {
    return typeof value === 'number' ? value >= constraint.atLeast : texts.length >= constraint.atLeast;
  }
  const wanted = constraint.equals;
  return typeof wanted === 'number' ? value === wanted || (Array.isArray(value) && value.length === wanted) : texts.includes(wanted.toUpperCase());
}

export function scoreProtocol(context: HangingContext, protocol: HangingProtocol, priorCount: number): ProtocolScore {
  let score = 0;
  let failedRequired = 0;
  for (const rule of protocol.activation) {
    const holds = ruleHolds(rule, attributeValue(context, rule.attribute, priorCount));
    if (holds) {
      score += rule.weight;
    } else if (rule.required) {
      failedRequired += 1;
    }
  }
  return { protocol, score, qualified: failedRequired === 0, failedRequired };
}

import type { HangingInput } from './model.ts';
import type { HangingPreferences, HangingProtocol } from './protocol.ts';
import type { HangingRequest, ResolvedLayout } from './layout.ts';

/**
 * The hanging engine: a pure function from a patient's studies to the resolved layout of one stage.
 * PLACEHOLDER SIGNATURE: the engine is being built on a branch and replaces this body.
 */
export function resolveHanging(
  input: HangingInput,
  protocols: HangingProtocol[],
  request: HangingRequest,
  preferences: HangingPreferences,
): ResolvedLayout {
  void input;
  void protocols;
  void request;
  void preferences;
  throw new Error('the hanging engine is not built yet');
}

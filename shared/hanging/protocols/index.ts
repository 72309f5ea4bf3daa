import type { HangingProtocol } from '../protocol.ts';

/** The protocols shipped with Concord, tried before user protocols when scores tie. PLACEHOLDER: filled by the engine branch. */
export const FACTORY_PROTOCOLS: HangingProtocol[] = [];

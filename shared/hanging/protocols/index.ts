import type { HangingProtocol } from '../protocol.ts';
import { MAMMO_SECOND_OPINION } from './mammo.ts';
import { MR_BREAST_COMPARISON } from './mr-breast.ts';
import { MR_COMPARISON } from './mr-generic.ts';

/** The protocols shipped with Concord, tried before user protocols when scores tie. */
export const FACTORY_PROTOCOLS: HangingProtocol[] = [MAMMO_SECOND_OPINION, MR_BREAST_COMPARISON, MR_COMPARISON];

import type { HangingRequest, ResolvedLayout } from '../../../../shared/hanging/layout.ts';
import { api } from '../../api/api.ts';

/** What the hanging view asks of the library: the resolved layout of one stage for a study. */
export type LayoutRequest = HangingRequest & { studyInstanceUid: string };

interface HangingCalls {
  getHanging(request: { studyInstanceUid: string; stage?: number; priorStudyInstanceUid?: string; protocolId?: string }): Promise<{ layout: ResolvedLayout }>;
}

/** The layout for a study: the engine picks protocol, stage and prior unless the request names them. */
export async function fetchLayout(request: LayoutRequest): Promise<ResolvedLayout> {
  const calls = api as unknown as HangingCalls;
  const { studyInstanceUid, stage, priorStudyInstanceUid, protocolId } = request;
  const { layout } = await calls.getHanging({ studyInstanceUid, stage, priorStudyInstanceUid, protocolId });
  return layout;
}

import type { HangingRequest, ResolvedLayout } from '../../../../shared/hanging/layout.ts';
import type { HangingPreferences, HangingProtocol } from '../../../../shared/hanging/protocol.ts';
import { api } from '../../api/api.ts';

/** What the hanging view asks of the library: the resolved layout of one stage for a study. */
export type LayoutRequest = HangingRequest & { studyInstanceUid: string };

/** The library's hanging calls (shared/api/schemas.ts). */
interface HangingCalls {
  getHanging(request: LayoutRequest): Promise<{ layout: ResolvedLayout }>;
  listProtocols(request: Record<string, never>): Promise<{ protocols: HangingProtocol[]; preferences: HangingPreferences }>;
  saveProtocol(request: { protocol: HangingProtocol }): Promise<{ protocol: HangingProtocol }>;
  deleteProtocol(request: { id: string }): Promise<object>;
  reorderProtocols(request: { ids: string[] }): Promise<{ protocols: HangingProtocol[] }>;
  setHangingPreferences(request: { preferences: HangingPreferences }): Promise<{ preferences: HangingPreferences }>;
}

export const hangingApi = api as unknown as HangingCalls;

/** The layout for a study: the engine picks protocol, stage and prior unless the request names them. */
export async function fetchLayout(request: LayoutRequest): Promise<ResolvedLayout> {
  const { studyInstanceUid, stage, priorStudyInstanceUid, protocolId } = request;
  const { layout } = await hangingApi.getHanging({ studyInstanceUid, stage, priorStudyInstanceUid, protocolId });
  return layout;
}

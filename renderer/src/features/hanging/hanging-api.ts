import type { HangingRequest, ResolvedLayout } from '../../../../shared/hanging/layout.ts';
import { api } from '../../api/api.ts';

/** What the hanging view asks of the library: the resolved layout of one stage for a study. */
export type LayoutRequest = HangingRequest & { studyInstanceUid: string };

/** The layout for a study: the engine picks protocol, stage and prior unless the request names them. */
export async function fetchLayout(request: LayoutRequest): Promise<ResolvedLayout> {
  const { layout } = await api.getHanging(request);
  return layout;
}

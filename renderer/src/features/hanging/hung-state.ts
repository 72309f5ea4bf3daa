import { create } from 'zustand';
import type { ApiResponse } from '../../../../shared/api/schemas.ts';
import type { ResolvedLayout } from '../../../../shared/hanging/layout.ts';

/**
 * What the hanging view has on screen, for what sits beside it (the reporting pane, the patient-safety
 * header): the stage's layout and the hung studies' details. The hanging view publishes; others read.
 * Also whether a click on a hung image starts a finding ("new finding from image").
 */
export type StudyDetail = ApiResponse<'getStudy'>;

interface HungState {
  layout: ResolvedLayout | null;
  details: Record<string, StudyDetail>;
  findingMode: boolean;
  /** What the last click in that mode did, or why it did nothing. */
  findingMessage: string | null;
  publish(layout: ResolvedLayout | null, details: Record<string, StudyDetail>): void;
  toggleFindingMode(on?: boolean): void;
  setFindingMessage(message: string | null): void;
}

export const useHung = create<HungState>((set) => ({
  layout: null,
  details: {},
  findingMode: false,
  findingMessage: null,
  publish: (layout, details) => set({ layout, details }),
  toggleFindingMode: (on) => set((state) => ({ findingMode: on ?? !state.findingMode, findingMessage: null })),
  setFindingMessage: (findingMessage) => set({ findingMessage }),
}));

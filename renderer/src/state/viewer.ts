import { create } from 'zustand';

/** What each viewport shows, for overlays and the toolbar. React holds this; cornerstone objects stay in the service. */
export interface SlotStatus {
  status: 'loading' | 'rendered' | 'error';
  error: string | null;
  imageIndex: number;
  /** The image last asked for; the viewport shows `imageIndex` until it is drawn. */
  requestedIndex: number;
  imageCount: number;
  sopInstanceUid: string | null;
  windowCenter: number | null;
  windowWidth: number | null;
  voiFunction: string;
  zoom: number | null;
  flipHorizontal: boolean;
  flipVertical: boolean;
  rotation: number;
  invert: boolean;
  calibrationLabel: string | null;
  playing: boolean;
}

export const EMPTY_SLOT: SlotStatus = {
  status: 'loading',
  error: null,
  imageIndex: 0,
  requestedIndex: 0,
  imageCount: 0,
  sopInstanceUid: null,
  windowCenter: null,
  windowWidth: null,
  voiFunction: 'LINEAR',
  zoom: null,
  flipHorizontal: false,
  flipVertical: false,
  rotation: 0,
  invert: false,
  calibrationLabel: null,
  playing: false,
};

export type ToolName = 'WindowLevel' | 'Pan' | 'Zoom' | 'Length' | 'Angle' | 'EllipticalROI' | 'RectangleROI' | 'Probe' | 'Magnify';

interface ViewerState {
  slots: Record<string, SlotStatus>;
  activeSlot: string | null;
  tool: ToolName;
  helpOpen: boolean;
  updateSlot(slot: string, change: Partial<SlotStatus>): void;
  removeSlot(slot: string): void;
  setActiveSlot(slot: string): void;
  setTool(tool: ToolName): void;
  toggleHelp(open?: boolean): void;
}

export const useViewer = create<ViewerState>((set) => ({
  slots: {},
  activeSlot: null,
  tool: 'WindowLevel',
  helpOpen: false,
  updateSlot: (slot, change) =>
    set((state) => ({ slots: { ...state.slots, [slot]: { ...(state.slots[slot] ?? EMPTY_SLOT), ...change } } })),
  removeSlot: (slot) =>
    set((state) => ({ slots: Object.fromEntries(Object.entries(state.slots).filter(([name]) => name !== slot)) })),
  setActiveSlot: (slot) => set({ activeSlot: slot }),
  setTool: (tool) => set({ tool }),
  toggleHelp: (open) => set((state) => ({ helpOpen: open ?? !state.helpOpen })),
}));

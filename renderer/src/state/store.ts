import { create } from 'zustand';
import type { ApiEvent, Job, Study } from '../../../shared/api/schemas.ts';
import { api } from '../api/api.ts';

export type Page = 'import' | 'library';

interface WorkstationState {
  page: Page;
  jobs: Record<string, Job>;
  /** The import the import page follows. */
  activeJobId: string | null;
  studies: Study[];
  studySearch: string;
  /** Worklist filters: study dates as YYYYMMDD, a modality code. */
  studyFilters: { dateFrom: string; dateTo: string; modality: string };
  error: string | null;
  setPage(page: Page): void;
  setStudySearch(text: string): void;
  setStudyFilters(filters: Partial<WorkstationState['studyFilters']>): void;
  refreshStudies(): Promise<void>;
  startImport(path: string): Promise<void>;
  cancelImport(jobId: string): Promise<void>;
  onEvent(event: ApiEvent): void;
  clearError(): void;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export const useWorkstation = create<WorkstationState>((set, get) => ({
  page: 'import',
  jobs: {},
  activeJobId: null,
  studies: [],
  studySearch: '',
  studyFilters: { dateFrom: '', dateTo: '', modality: '' },
  error: null,
  setPage: (page) => set({ page }),
  setStudySearch: (text) => {
    set({ studySearch: text });
    void get().refreshStudies();
  },
  setStudyFilters: (filters) => {
    set((state) => ({ studyFilters: { ...state.studyFilters, ...filters } }));
    void get().refreshStudies();
  },
  refreshStudies: async () => {
    try {
      const text = get().studySearch.trim();
      const { dateFrom, dateTo, modality } = get().studyFilters;
      const { studies } = await api.listStudies({
        limit: 100000,
        ...(text ? { text } : {}),
        ...(dateFrom ? { dateFrom } : {}),
        ...(dateTo ? { dateTo } : {}),
        ...(modality ? { modality } : {}),
      });
      set({ studies });
    } catch (error) {
      set({ error: message(error) });
    }
  },
  startImport: async (path) => {
    try {
      const { job } = await api.startImport({ path });
      set((state) => ({ jobs: { ...state.jobs, [job.id]: job }, activeJobId: job.id, error: null }));
    } catch (error) {
      set({ error: message(error) });
    }
  },
  cancelImport: async (jobId) => {
    try {
      const { job } = await api.cancelJob({ jobId });
      set((state) => ({ jobs: { ...state.jobs, [job.id]: job } }));
    } catch (error) {
      set({ error: message(error) });
    }
  },
  onEvent: (event) => {
    if (event.type === 'job') {
      set((state) => ({ jobs: { ...state.jobs, [event.job.id]: event.job } }));
    } else {
      void get().refreshStudies();
    }
  },
  clearError: () => set({ error: null }),
}));

/** Follows the API's events for the life of the page. */
export function connectEvents(): () => void {
  return api.subscribe((event) => useWorkstation.getState().onEvent(event));
}

import { create } from 'zustand';
import { ApiError } from '../../../shared/api/errors.ts';
import type { ApiErrorCode } from '../../../shared/api/errors.ts';
import type { ApiEvent, Job, Study, UnfiledInstance } from '../../../shared/api/schemas.ts';
import { api } from '../api/api.ts';

/**
 * `attention`: the instances that need a person (unfiled), reached from the library page;
 * `concordance`: the concordance overview of the signed second opinions.
 */
export type Page = 'import' | 'library' | 'attention' | 'concordance';

interface WorkstationState {
  page: Page;
  jobs: Record<string, Job>;
  /** The import the import page follows. */
  activeJobId: string | null;
  studies: Study[];
  /** Instances stored in no study, waiting to be filed (the "needs attention" list). */
  unfiled: UnfiledInstance[];
  studySearch: string;
  /** Worklist filters: study dates as YYYYMMDD, a modality code. */
  studyFilters: { dateFrom: string; dateTo: string; modality: string };
  error: string | null;
  /** Why the last import could not start (no such path, unreadable, relative), shown by the import form. */
  importError: { code: ApiErrorCode; message: string } | null;
  /** The path being scanned before its import starts (the pre-scan that decides whether to ask). */
  importScanning: string | null;
  /** A folder that does not look like a medium: the question to ask before importing it. */
  importQuestion: { path: string; question: string; reasons: string[] } | null;
  setPage(page: Page): void;
  setStudySearch(text: string): void;
  setStudyFilters(filters: Partial<WorkstationState['studyFilters']>): void;
  refreshStudies(): Promise<void>;
  refreshUnfiled(): Promise<void>;
  /** `confirmed`: the person answered the not-a-medium question with "import anyway". */
  startImport(path: string, confirmed?: boolean): Promise<void>;
  dismissImportQuestion(): void;
  cancelImport(jobId: string): Promise<void>;
  onEvent(event: ApiEvent): void;
  clearError(): void;
  clearImportError(): void;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

let refreshing = false;
let refreshAgain = false;

export const useWorkstation = create<WorkstationState>((set, get) => ({
  page: 'import',
  jobs: {},
  activeJobId: null,
  studies: [],
  unfiled: [],
  studySearch: '',
  studyFilters: { dateFrom: '', dateTo: '', modality: '' },
  error: null,
  importError: null,
  importScanning: null,
  importQuestion: null,
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
    // One request at a time, and one more if anything changed meanwhile: an import commits batch
    // after batch, and answers arriving out of order must not put an older list on screen.
    if (refreshing) {
      refreshAgain = true;
      return;
    }
    refreshing = true;
    try {
      do {
        refreshAgain = false;
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
      } while (refreshAgain);
    } catch (error) {
      set({ error: message(error) });
    } finally {
      refreshing = false;
    }
  },
  refreshUnfiled: async () => {
    try {
      const { unfiled } = await api.listUnfiled({});
      set({ unfiled });
    } catch (error) {
      set({ error: message(error) });
    }
  },
  startImport: async (path, confirmed) => {
    try {
      set({ importError: null, importQuestion: null, importScanning: path });
      const { job } = await api.startImport(confirmed ? { path, confirmed } : { path });
      set((state) => ({ jobs: { ...state.jobs, [job.id]: job }, activeJobId: job.id, error: null, importScanning: null }));
    } catch (error) {
      const code = error instanceof ApiError ? error.code : 'internal';
      if (code === 'source-not-medium') {
        // Nothing started: the page asks whether to import the folder anyway.
        const details = (error as ApiError).details as { path?: unknown; reasons?: unknown } | undefined;
        const reasons = Array.isArray(details?.reasons) ? details.reasons.filter((r): r is string => typeof r === 'string') : [];
        set({ importScanning: null, activeJobId: null, importQuestion: { path: typeof details?.path === 'string' ? details.path : path, question: message(error), reasons } });
        return;
      }
      // The import did not start: say why beside the path, and no longer show an older import's result.
      set((state) => ({
        importError: { code, message: message(error) },
        importScanning: null,
        activeJobId: code === 'conflict' ? state.activeJobId : null,
      }));
    }
  },
  dismissImportQuestion: () => set({ importQuestion: null }),
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
      void get().refreshUnfiled();
    }
  },
  clearError: () => set({ error: null }),
  clearImportError: () => set({ importError: null, importQuestion: null }),
}));

/** Follows the API's events for the life of the page. */
export function connectEvents(): () => void {
  return api.subscribe((event) => useWorkstation.getState().onEvent(event));
}

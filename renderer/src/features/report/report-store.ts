import { create } from 'zustand';
import { ApiError } from '../../../../shared/api/errors.ts';
import type { ApiRequest, ApiResponse, AuditEventRecord, OutsideReportDocument } from '../../../../shared/api/schemas.ts';
import { withEntry } from '../../../../shared/reports/draft-checks.ts';
import { emptyReportContent } from '../../../../shared/reports/report-logic.ts';
import type { ReaderProfile, Report, ReportContent, ReportTemplate } from '../../../../shared/reports/report-model.ts';
import { api } from '../../api/api.ts';
import { afterEdit, regenerateNarrative } from './content-edits.ts';
import { clearStash, stashDraft, stashedDraft } from './draft-stash.ts';

/**
 * The reporting pane's state: the study's report as the server last saved it, the reader's working
 * copy of its content, and the draft's save cycle. Edits save on their own after a short pause, each
 * naming the revision it edits; a save the server refuses (someone else saved first, or signed) keeps
 * the reader's copy on screen until the reader chooses what to keep, so typed text is never lost.
 */

export type SaveState = 'saved' | 'pending' | 'saving' | 'conflict' | 'failed';
export type ReportTab = 'outside' | 'second-opinion' | 'concordance';

/** The pause after the last keystroke before a draft is saved. */
export const SAVE_DELAY_MS = 800;

interface ReportState {
  paneOpen: boolean;
  tab: ReportTab;
  studyInstanceUid: string | null;
  loading: boolean;
  error: string | null;
  /** The report as the server last returned it (status, signature, addenda, exports); null: none yet. */
  report: Report | null;
  /** The reader's working copy of the content. */
  content: ReportContent | null;
  /** The revision the next save edits. */
  revision: number;
  saveState: SaveState;
  saveMessage: string | null;
  /** The server's copy when a save was refused: what "use the saved version" would show. */
  conflict: Report | null;
  /** Edits of this draft that an earlier session typed but never saved (see draft-stash.ts). */
  recovered: ReportContent | null;
  audit: AuditEventRecord[];
  profiles: ReaderProfile[];
  /** The reader at the screen (a profile id): signs, and is named in the audit trail of every step. */
  readerId: string | null;
  outsideDocuments: OutsideReportDocument[];
  /** The study's series, to open the outside documents with the viewer's document views. */
  study: ApiResponse<'getStudy'> | null;
  /** The outside document open beside the form. */
  openDocument: string | null;
  togglePane(open?: boolean): void;
  setTab(tab: ReportTab): void;
  setReader(profileId: string | null): void;
  setOpenDocument(sopInstanceUid: string | null): void;
  load(studyInstanceUid: string): Promise<void>;
  start(template: ReportTemplate): Promise<void>;
  edit(change: (content: ReportContent) => ReportContent): void;
  /** Keeps what was typed into a field that did not pass its check (null: it did, or it is empty). */
  setEntry(key: string, typed: string | null): void;
  regenerate(): void;
  saveNow(): Promise<void>;
  keepMine(): Promise<void>;
  useSaved(): void;
  restoreRecovered(): void;
  discardRecovered(): void;
  saveProfile(profile: ReaderProfile): Promise<boolean>;
  sign(): Promise<void>;
  addAddendum(text: string): Promise<boolean>;
  recordCommunication(communication: ApiRequest<'recordCommunication'>['communication']): Promise<boolean>;
  recordOutcome(outcome: ApiRequest<'recordOutcome'>['outcome']): Promise<boolean>;
  exportReport(kinds: ('sr' | 'encapsulated-pdf')[]): Promise<void>;
  saveKeyImage(request: Omit<ApiRequest<'saveKeyImage'>, 'reportId'>): Promise<boolean>;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Where the reader at the screen is remembered between sessions (a preference, not report data). */
const READER_KEY = 'concord.reader';

function rememberedReader(): string | null {
  try {
    return window.localStorage.getItem(READER_KEY);
  } catch {
    return null;
  }
}

let saveTimer: number | null = null;
/** Counts edits: a save's answer replaces the working copy only when nothing was typed meanwhile. */
let editCount = 0;
let saving: Promise<void> | null = null;

function cancelScheduledSave(): void {
  if (saveTimer !== null) {
    window.clearTimeout(saveTimer);
    saveTimer = null;
  }
}

export const useReport = create<ReportState>((set, get) => {
  const scheduleSave = (): void => {
    cancelScheduledSave();
    saveTimer = window.setTimeout(() => {
      saveTimer = null;
      void get().saveNow();
    }, SAVE_DELAY_MS);
  };

  /** Names the reader at the screen on a request, for the audit trail; nothing when none is chosen. */
  const actor = (): { profileId?: string } => {
    const readerId = get().readerId;
    return readerId ? { profileId: readerId } : {};
  };

  /**
   * Applies a report the server returned after a lifecycle step (sign, addendum, communication, ...):
   * its answer is used as it is, not re-read, so the audit trail gets no opening for each step.
   */
  const adopt = (report: Report, extra: Partial<ReportState> = {}): void => {
    set({ report, content: report.content, revision: report.revision, error: null, ...extra });
  };

  const refresh = async (reportId: number): Promise<void> => {
    const { report, audit } = await api.getReport({ reportId, ...actor() });
    adopt(report, { audit });
  };

  const guarded = async (work: () => Promise<void>): Promise<boolean> => {
    try {
      await work();
      return true;
    } catch (error) {
      set({ error: message(error) });
      return false;
    }
  };

  return {
    paneOpen: false,
    tab: 'outside',
    studyInstanceUid: null,
    loading: false,
    error: null,
    report: null,
    content: null,
    revision: 0,
    saveState: 'saved',
    saveMessage: null,
    conflict: null,
    recovered: null,
    audit: [],
    profiles: [],
    readerId: rememberedReader(),
    outsideDocuments: [],
    study: null,
    openDocument: null,
    togglePane: (open) => set((state) => ({ paneOpen: open ?? !state.paneOpen })),
    setTab: (tab) => set({ tab }),
    setReader: (readerId) => {
      try {
        if (readerId) {
          window.localStorage.setItem(READER_KEY, readerId);
        }
      } catch {
        // A browser without storage only forgets the choice.
      }
      set({ readerId });
    },
    setOpenDocument: (openDocument) => set({ openDocument }),

    load: async (studyInstanceUid) => {
      // Whatever is pending is saved first: reloading must not replace typed text with an older copy.
      await get().saveNow();
      if (get().studyInstanceUid !== studyInstanceUid) {
        set({ studyInstanceUid, report: null, content: null, revision: 0, saveState: 'saved', saveMessage: null, conflict: null, recovered: null, openDocument: null, audit: [] });
      }
      set({ loading: true, error: null });
      try {
        const [{ reports }, { documents }, { profiles }, study] = await Promise.all([
          api.listReports({ studyInstanceUid }),
          api.listOutsideReports({ studyInstanceUid }),
          api.listReaderProfiles({}),
          api.getStudy({ studyInstanceUid }),
        ]);
        // A remembered reader whose profile is gone is forgotten; with one profile only, that is the reader.
        const remembered = profiles.some((profile) => profile.id === get().readerId) ? get().readerId : null;
        const readerId = remembered ?? (profiles.length === 1 ? (profiles[0]?.id ?? null) : null);
        set({ outsideDocuments: documents, profiles, study, readerId, openDocument: get().openDocument ?? documents[0]?.sopInstanceUid ?? null });
        const summary = reports[0];
        // Unsaved edits (a refused or failed save) stay on screen; the banner offers the choices.
        if (summary && (get().saveState === 'saved' || get().report?.id !== summary.id)) {
          await refresh(summary.id);
          const report = get().report;
          const stashed = report?.status === 'draft' ? stashedDraft(summary.id) : null;
          const differs = stashed !== null && JSON.stringify(stashed) !== JSON.stringify(report?.content);
          set({ saveState: 'saved', recovered: differs ? stashed : null });
          if (!differs) {
            clearStash(summary.id);
          }
        }
      } catch (error) {
        set({ error: message(error) });
      } finally {
        set({ loading: false });
      }
    },

    start: async (template) => {
      const studyInstanceUid = get().studyInstanceUid;
      if (!studyInstanceUid) {
        return;
      }
      await guarded(async () => {
        const { report } = await api.createReport({ studyInstanceUid, content: afterEdit(emptyReportContent(template)), ...actor() });
        adopt(report, { saveState: 'saved', audit: [] });
      });
    },

    edit: (change) => {
      const { content, report } = get();
      if (!content || !report || report.status !== 'draft') {
        return;
      }
      editCount += 1;
      const edited = afterEdit(change(content));
      stashDraft(report.id, edited);
      set({ content: edited, saveState: get().saveState === 'conflict' ? 'conflict' : 'pending' });
      if (get().saveState !== 'conflict') {
        scheduleSave();
      }
    },

    setEntry: (key, typed) => {
      const next = typed === null || typed.trim() === '' ? undefined : typed;
      if (get().content?.invalidEntries?.[key] === next) {
        return;
      }
      get().edit((content) => withEntry(content, key, typed));
    },

    regenerate: () => get().edit(regenerateNarrative),

    saveNow: async () => {
      cancelScheduledSave();
      // One save at a time: a caller that waited re-checks, since another may have started one meanwhile.
      while (saving) {
        await saving;
      }
      const { report, content, revision, saveState } = get();
      if (!report || !content || report.status !== 'draft' || saveState === 'saved' || saveState === 'conflict') {
        return;
      }
      const editsAtStart = editCount;
      set({ saveState: 'saving' });
      saving = (async () => {
        try {
          const saved = await api.saveDraft({ reportId: report.id, revision, content, ...actor() });
          const unchanged = editCount === editsAtStart;
          set({
            revision: saved.revision,
            report: { ...report, revision: saved.revision, content: saved.content },
            ...(unchanged ? { content: saved.content, saveState: 'saved' as const, saveMessage: null } : { saveState: 'pending' as const }),
          });
          if (unchanged) {
            clearStash(report.id);
          }
          if (!unchanged) {
            scheduleSave();
          }
        } catch (error) {
          if (error instanceof ApiError && error.code === 'conflict') {
            const { report: current } = await api.getReport({ reportId: report.id }).catch(() => ({ report: null }));
            set({ saveState: 'conflict', conflict: current, saveMessage: message(error) });
          } else {
            set({ saveState: 'failed', saveMessage: message(error) });
          }
        }
      })();
      try {
        await saving;
      } finally {
        saving = null;
      }
    },

    keepMine: async () => {
      const { conflict } = get();
      if (!conflict || conflict.status !== 'draft') {
        return;
      }
      // The reader's copy becomes the next revision of what the server holds.
      set({ revision: conflict.revision, report: conflict, conflict: null, saveState: 'pending', saveMessage: null });
      await get().saveNow();
    },

    useSaved: () => {
      const { conflict } = get();
      if (conflict) {
        clearStash(conflict.id);
        adopt(conflict, { conflict: null, saveState: 'saved', saveMessage: null });
      }
    },

    restoreRecovered: () => {
      const { recovered } = get();
      if (recovered) {
        set({ recovered: null });
        get().edit(() => recovered);
      }
    },

    discardRecovered: () => {
      const { report } = get();
      if (report) {
        clearStash(report.id);
      }
      set({ recovered: null });
    },

    saveProfile: async (profile) =>
      guarded(async () => {
        await api.saveReaderProfile({ profile });
        const { profiles } = await api.listReaderProfiles({});
        set({ profiles });
        get().setReader(profile.id);
      }),

    sign: async () => {
      const report = get().report;
      const profileId = get().readerId;
      if (!report || !profileId) {
        return;
      }
      await get().saveNow();
      if (get().saveState !== 'saved') {
        set({ error: 'The draft is not saved yet: resolve the save problem before signing.' });
        return;
      }
      await guarded(async () => {
        adopt((await api.signReport({ reportId: report.id, profileId })).report);
      });
    },

    addAddendum: async (text) => {
      const report = get().report;
      const profileId = get().readerId;
      return report && profileId
        ? guarded(async () => {
            adopt((await api.addAddendum({ reportId: report.id, profileId, text })).report);
          })
        : false;
    },

    recordCommunication: async (communication) => {
      const report = get().report;
      if (!report) {
        return false;
      }
      // The verdict the communication follows must be saved first.
      await get().saveNow();
      return guarded(async () => {
        adopt((await api.recordCommunication({ reportId: report.id, communication, ...actor() })).report);
      });
    },

    recordOutcome: async (outcome) => {
      const report = get().report;
      if (!report) {
        return false;
      }
      await get().saveNow();
      return guarded(async () => {
        adopt((await api.recordOutcome({ reportId: report.id, outcome, ...actor() })).report);
      });
    },

    exportReport: async (kinds) => {
      const report = get().report;
      if (!report) {
        return;
      }
      await guarded(async () => {
        await api.exportReport({ reportId: report.id, kinds, ...actor() });
        // Re-read (recorded as an opening) for the report's list of exports and the audit trail's new entries.
        await refresh(report.id);
      });
    },

    saveKeyImage: async (request) => {
      const report = get().report;
      return report ? guarded(async () => api.saveKeyImage({ reportId: report.id, ...request }).then(() => undefined)) : false;
    },
  };
});

/** Why leaving the page now would lose typed text of the draft; null when everything typed is saved. */
export function unsavedDraftProblem(saveState: SaveState): string | null {
  switch (saveState) {
    case 'pending':
    case 'saving':
      return 'The report draft has changes that are not saved yet.';
    case 'failed':
    case 'conflict':
      return 'The report draft could not be saved: your latest changes are not in the library yet.';
    default:
      return null;
  }
}

/** Saves a pending draft when the page is hidden or closed (best effort: the request may still be cut short). */
export function saveOnHide(): () => void {
  const onHide = (): void => {
    if (document.visibilityState === 'hidden') {
      void useReport.getState().saveNow();
    }
  };
  document.addEventListener('visibilitychange', onHide);
  return () => document.removeEventListener('visibilitychange', onHide);
}

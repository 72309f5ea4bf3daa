import { reportContentSchema } from '../../../../shared/reports/report-model.ts';
import type { ReportContent } from '../../../../shared/reports/report-model.ts';

/**
 * The reader's unsaved edits of a draft, kept in the browser's storage from the keystroke until the
 * server has saved them: a closed window, a crashed browser or a host that went away in between
 * leaves them here, and the pane offers them back when the report is opened again.
 */

const PREFIX = 'concord.unsaved-report.';

export function stashDraft(reportId: number, content: ReportContent): void {
  try {
    window.localStorage.setItem(`${PREFIX}${reportId}`, JSON.stringify(content));
  } catch {
    // Storage full or refused: the server copy and the screen still hold the edit.
  }
}

export function clearStash(reportId: number): void {
  try {
    window.localStorage.removeItem(`${PREFIX}${reportId}`);
  } catch {
    // Nothing to clear.
  }
}

/** The stashed edits of a report, when they are a valid report's content; null otherwise. */
export function stashedDraft(reportId: number): ReportContent | null {
  try {
    const text = window.localStorage.getItem(`${PREFIX}${reportId}`);
    const parsed = text === null ? null : reportContentSchema.safeParse(JSON.parse(text));
    return parsed?.success ? parsed.data : null;
  } catch {
    return null;
  }
}

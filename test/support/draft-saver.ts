// A reader's window saving a draft as fast as it can: run as its own process by the crash-safety test,
// which kills it with SIGKILL mid-edit. Prints each revision once its save has committed.
import { openLibrary } from '../../electron/services/library/database.ts';
import { getReport, saveDraft } from '../../electron/services/reports/report-store.ts';

const [root, reportText] = process.argv.slice(2);
const library = openLibrary(root as string);
const reportId = Number(reportText);
let { revision, content } = getReport(library.db, reportId);
for (;;) {
  const next = revision + 1;
  // Each edit rewrites the whole content, so a torn write could not pass for a whole one.
  const edited = { ...content, secondOpinion: { ...content.secondOpinion, impression: `edit ${next}`, narrative: `edit ${next}. `.repeat(800) } };
  ({ revision, content } = saveDraft(library.db, { reportId, revision, content: edited }, { osUser: 'draft-saver', profileId: null }));
  process.stdout.write(`${revision}\n`);
}

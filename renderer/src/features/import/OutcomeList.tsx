import type { ReactElement } from 'react';
import { DOCUMENT_KINDS } from '../../../../shared/import/outcomes.ts';
import type { FileOutcomeRecord, ImportSummary } from '../../../../shared/import/outcomes.ts';

interface Props {
  summary: ImportSummary;
}

const byReason = (row: FileOutcomeRecord): string | null => row.reason;
/** A quirked file's notes, each naming its quirk, then any reason it also has. */
const byNotes = (row: FileOutcomeRecord): string =>
  [...row.notes.map((note) => `${note.quirk}: ${note.detail}`), ...(row.reason ? [row.reason] : [])].join('; ');

/**
 * The outside reports found; every file not taken in, with its reason; conflicts; what was imported
 * but is not shown; and files read through quirks, with a note naming each.
 */
export function OutcomeList({ summary }: Props): ReactElement | null {
  const reports = new Set(summary.outsideReports.map((row) => row.path));
  const otherNonImage = summary.nonImageInstances.filter((row) => !reports.has(row.path));
  const sections = [
    { title: 'Outside reports found: they open beside the images', rows: summary.outsideReports, label: 'outside-reports', reason: byReason },
    { title: 'Problems', rows: summary.problems, label: 'problems', reason: byReason },
    { title: 'Conflicts kept aside', rows: summary.conflicts, label: 'conflicts', reason: byReason },
    { title: 'Unfiled: stored, waiting to be filed into a study (Library, Needs attention)', rows: summary.unfiled, label: 'unfiled', reason: byReason },
    {
      title: 'Other documents: they open in the viewer',
      rows: otherNonImage.filter((row) => row.objectKind !== null && DOCUMENT_KINDS.has(row.objectKind)),
      label: 'documents',
      reason: byReason,
    },
    {
      title: 'Imported, not displayed by Concord',
      rows: otherNonImage.filter((row) => row.objectKind === null || !DOCUMENT_KINDS.has(row.objectKind)),
      label: 'non-image',
      reason: byReason,
    },
    { title: 'Read through quirks', rows: summary.quirked, label: 'quirks', reason: byNotes },
  ].filter((section) => section.rows.length > 0);
  if (sections.length === 0) {
    return null;
  }
  return (
    <section className="panel outcomes">
      {sections.map((section) => (
        <div key={section.label}>
          <h3>
            {section.title} ({section.rows.length})
          </h3>
          <table aria-label={section.title} data-list={section.label}>
            <thead>
              <tr>
                <th>File</th>
                <th>Outcome</th>
                <th>{section.label === 'quirks' ? 'Notes' : 'Reason'}</th>
              </tr>
            </thead>
            <tbody>
              {section.rows.map((row) => (
                <tr key={row.path}>
                  <td className="mono">{row.path}</td>
                  <td>{row.outcome === 'imported' || row.outcome === 'already-present' ? row.objectKind : row.outcome}</td>
                  <td>{section.reason(row)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </section>
  );
}

import type { ReactElement } from 'react';
import type { ImportSummary } from '../../../../shared/import/outcomes.ts';

interface Props {
  summary: ImportSummary;
}

/** Every file not taken in, with its reason; conflicts; unfiled instances; and what was imported but is not shown. */
export function OutcomeList({ summary }: Props): ReactElement | null {
  const sections = [
    { title: 'Problems', rows: summary.problems, label: 'problems' },
    { title: 'Conflicts kept aside', rows: summary.conflicts, label: 'conflicts' },
    { title: 'Unfiled: stored, waiting to be filed into a study (Library, Needs attention)', rows: summary.unfiled, label: 'unfiled' },
    { title: 'Imported, not displayed by Concord', rows: summary.nonImageInstances, label: 'non-image' },
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
                <th>Reason</th>
              </tr>
            </thead>
            <tbody>
              {section.rows.map((row) => (
                <tr key={row.path}>
                  <td className="mono">{row.path}</td>
                  <td>{row.outcome === 'imported' || row.outcome === 'already-present' ? row.objectKind : row.outcome}</td>
                  <td>{row.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </section>
  );
}

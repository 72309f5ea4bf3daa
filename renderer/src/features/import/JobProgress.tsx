import type { ReactElement } from 'react';
import type { Job } from '../../../../shared/api/schemas.ts';
import { FILE_OUTCOMES, possibleMatchMessage } from '../../../../shared/import/outcomes.ts';
import type { ImportSummary } from '../../../../shared/import/outcomes.ts';
import { formatBytes, formatLocalTime, formatSeconds } from '../../ui/format.ts';

const STATUS_LABEL: Record<Job['status'], string> = {
  running: 'Importing',
  completed: 'Completed',
  'no-dicom': 'No DICOM found',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
  failed: 'Failed',
};

interface Props {
  job: Job;
  onCancel(): void;
}

/**
 * What the import found that the clerk acts on: outside reports (they open beside the images),
 * instances already in the library (and when they came), possible matches with a known patient.
 */
function Findings({ summary }: { summary: ImportSummary }): ReactElement | null {
  const reports = summary.outsideReports.length;
  const matches = summary.possibleMatches;
  const findings = [
    reports > 0 && (
      <li key="reports" data-finding="outside-reports">
        {reports} outside report{reports === 1 ? '' : 's'} found: open{reports === 1 ? 's' : ''} beside the images
      </li>
    ),
    ...summary.earlierImports.map((earlier) => (
      <li key={`earlier-${earlier.sessionId}`} data-finding="already-in-library" data-session={earlier.sessionId}>
        {earlier.instances} already in the library (imported {formatLocalTime(earlier.startedAt)})
      </li>
    )),
    matches.length > 0 && (
      <li key="matches" data-finding="possible-match">
        {possibleMatchMessage(matches.length)}:{' '}
        {matches.map((match, index) => (
          <span key={match.proposalId}>
            {index > 0 && ', '}
            <a href={`#/patient/${match.localPatientId}`}>{matches.length === 1 ? 'review' : `review ${match.patientName || match.patientId}`}</a>
          </span>
        ))}
      </li>
    ),
  ].filter(Boolean);
  return findings.length > 0 ? (
    <ul className="import-findings" aria-label="What the import found">
      {findings}
    </ul>
  ) : null;
}

/** One import: progress while it runs, counts per outcome when it ends. */
export function JobProgress({ job, onCancel }: Props): ReactElement {
  const progress = job.progress;
  const percent = progress && progress.bytesTotal > 0 ? Math.min(100, Math.round((progress.bytesProcessed / progress.bytesTotal) * 100)) : 0;
  const done = job.status !== 'running';
  // Files are still being counted: there is nothing to measure progress against yet.
  const scanning = !done && (!progress || progress.phase === 'discovering');
  // An import that went through every file fills the bar; its colour says how it ended.
  const shown = done && (job.status === 'completed' || job.status === 'no-dicom') ? 100 : percent;
  return (
    <section className="panel job" aria-label="Import progress" data-job-id={job.id} data-status={job.status}>
      <div className="job-head">
        <h2>
          {scanning ? 'Scanning…' : STATUS_LABEL[job.status]}
          {job.cancelRequested && job.status === 'running' ? ' (cancelling…)' : ''}
        </h2>
        <span className="job-source" title={job.source}>{job.source}</span>
        {!done && (
          <button type="button" className="danger" onClick={onCancel} disabled={job.cancelRequested}>
            Cancel
          </button>
        )}
      </div>
      <div className="progress" role="progressbar" aria-label="Import progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={shown}>
        <div className="progress-fill" style={{ width: `${shown}%` }} />
      </div>
      {scanning && (
        <p className="job-stats" role="status">
          <span data-files-found={progress?.filesFound ?? 0}>Scanning… {progress?.filesFound ?? 0} files found so far</span>
        </p>
      )}
      {progress && !scanning && (
        <p className="job-stats">
          <span>{progress.filesProcessed} of {progress.filesFound} files</span>
          <span>{progress.instancesImported} instances imported</span>
          <span data-indexed={progress.instancesIndexed}>{progress.instancesIndexed} new in the library</span>
          <span>{formatBytes(progress.bytesProcessed)} of {formatBytes(progress.bytesTotal)}</span>
          <span>{formatBytes(progress.bytesPerSecond)}/s</span>
          {!done && progress.secondsLeft !== null && <span>{formatSeconds(progress.secondsLeft)} left</span>}
        </p>
      )}
      {job.error && <p className="error" role="alert">{job.error}</p>}
      {job.summary?.statusReason && (
        <p className={job.status === 'no-dicom' ? 'notice warning' : 'note'} role={job.status === 'no-dicom' ? 'status' : undefined}>
          {job.summary.statusReason}
        </p>
      )}
      {job.summary && <Findings summary={job.summary} />}
      {job.summary && (
        <dl className="counts">
          {FILE_OUTCOMES.filter((outcome) => job.summary?.counts[outcome]).map((outcome) => (
            <div key={outcome} data-outcome={outcome}>
              <dt>{outcome.replace(/-/g, ' ')}</dt>
              <dd>{job.summary?.counts[outcome]}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

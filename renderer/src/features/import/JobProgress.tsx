import type { ReactElement } from 'react';
import type { Job } from '../../../../shared/api/schemas.ts';
import { FILE_OUTCOMES } from '../../../../shared/import/outcomes.ts';
import { formatBytes, formatSeconds } from '../../ui/format.ts';

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

/** One import: progress while it runs, counts per outcome when it ends. */
export function JobProgress({ job, onCancel }: Props): ReactElement {
  const progress = job.progress;
  const percent = progress && progress.bytesTotal > 0 ? Math.min(100, Math.round((progress.bytesProcessed / progress.bytesTotal) * 100)) : 0;
  const done = job.status !== 'running';
  // An import that went through every file fills the bar; its colour says how it ended.
  const shown = done && (job.status === 'completed' || job.status === 'no-dicom') ? 100 : percent;
  return (
    <section className="panel job" aria-label="Import progress" data-job-id={job.id} data-status={job.status}>
      <div className="job-head">
        <h2>
          {STATUS_LABEL[job.status]}
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
      {progress && (
        <p className="job-stats">
          <span>{progress.filesProcessed} of {progress.filesFound} files</span>
          <span>{progress.instancesImported} instances imported</span>
          <span data-indexed={progress.instancesIndexed}>{progress.instancesIndexed} in the library</span>
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

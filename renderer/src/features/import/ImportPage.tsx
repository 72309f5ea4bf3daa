import { useState } from 'react';
import type { ReactElement } from 'react';
import { useWorkstation } from '../../state/store.ts';
import { StudyList } from '../library/StudyList.tsx';
import { JobProgress } from './JobProgress.tsx';
import { NotMediumQuestion } from './NotMediumQuestion.tsx';
import { OutcomeList } from './OutcomeList.tsx';
import { SourcePicker } from './SourcePicker.tsx';
import './import.css';

export function ImportPage(): ReactElement {
  const [path, setPath] = useState('');
  const job = useWorkstation((state) => (state.activeJobId ? state.jobs[state.activeJobId] : undefined));
  const studies = useWorkstation((state) => state.studies);
  const startImport = useWorkstation((state) => state.startImport);
  const cancelImport = useWorkstation((state) => state.cancelImport);
  const importError = useWorkstation((state) => state.importError);
  const clearImportError = useWorkstation((state) => state.clearImportError);
  const scanning = useWorkstation((state) => state.importScanning);
  const question = useWorkstation((state) => state.importQuestion);
  const dismissQuestion = useWorkstation((state) => state.dismissImportQuestion);
  const busy = job?.status === 'running' || scanning !== null;
  return (
    <div className="import-page">
      <SourcePicker
        path={path}
        onPathChange={(next) => {
          setPath(next);
          clearImportError();
        }}
        onImport={(target) => void startImport(target)}
        busy={busy}
        error={importError}
      />
      {scanning !== null && (
        <p className="import-scanning" role="status" data-scanning={scanning}>
          Scanning… counting the files in <span className="mono">{scanning}</span>
        </p>
      )}
      {question && (
        <NotMediumQuestion
          question={question}
          onCancel={dismissQuestion}
          onImport={() => void startImport(question.path, true)}
        />
      )}
      {job && <JobProgress job={job} onCancel={() => void cancelImport(job.id)} />}
      {job?.summary && <OutcomeList summary={job.summary} />}
      <section className="panel">
        <h2>Studies in the library ({studies.length})</h2>
        <StudyList studies={studies} caption="Studies in the library" />
      </section>
    </div>
  );
}
